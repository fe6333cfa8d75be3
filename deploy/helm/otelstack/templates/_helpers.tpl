{{/* Names and labels shared by every template. */}}
{{- define "otelstack.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "otelstack.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "otelstack.selectorLabels" -}}
app.kubernetes.io/name: {{ include "otelstack.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "otelstack.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "otelstack.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The Secret holding the session secret, encryption key, ingestion key. */}}
{{- define "otelstack.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "otelstack.fullname" . -}}
{{- end -}}
{{- end -}}

{{/* Refuses, at render time, what production mode refuses at start. */}}
{{- define "otelstack.validate" -}}
{{- if and .Values.production (not .Values.tls.enabled) (not .Values.tls.terminatedUpstream) -}}
{{- fail "production: enable tls (tls.enabled + tls.secretName) or declare tls.terminatedUpstream=true (an ingress terminates TLS)" -}}
{{- end -}}
{{- if and .Values.tls.enabled (not .Values.tls.secretName) -}}
{{- fail "tls.enabled needs tls.secretName (a kubernetes.io/tls Secret)" -}}
{{- end -}}
{{- if .Values.clickhouse.enabled -}}
{{- if not .Values.clickhouse.url -}}{{- fail "clickhouse.enabled needs clickhouse.url" -}}{{- end -}}
{{- if not .Values.clickhouse.passwordSecret.name -}}{{- fail "clickhouse.enabled needs clickhouse.passwordSecret.name" -}}{{- end -}}
{{- if eq .Values.clickhouse.user "default" -}}{{- fail "clickhouse.user: use a dedicated ingestion user, not default (otelstack clickhouse init)" -}}{{- end -}}
{{- end -}}
{{- end -}}
