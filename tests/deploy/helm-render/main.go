// helm-render renders a Helm chart's templates the way `helm template` does,
// for tests where no helm binary is available: Go's text/template with the
// sprig function library (both the very packages Helm uses) plus Helm's own
// functions include, tpl, required, fail, toYaml, toJson, fromYaml. Values are
// values.yaml deep-merged with each -f file in order. Templates run with
// missingkey=error, like `helm lint --strict`, so a template that reads a
// value values.yaml does not define fails.
//
// NOT implemented (not used by the chart; using one is an error): lookup,
// .Files, .Capabilities.APIVersions.Has, subcharts, --set.
//
// Usage: helm-render CHART_DIR [-f values.yaml]... > manifests.yaml
// Output: each rendered template as "# Source: NAME" + its text, separated by
// "---"; NOTES.txt is rendered last under "# Source: NOTES.txt".
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig" // Debian: golang-github-masterminds-sprig-dev (v3)
	"gopkg.in/yaml.v3"
)

func toYaml(v interface{}) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

func readYamlMap(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// merge overlays src onto dst: maps merge key by key, anything else replaces.
func merge(dst, src map[string]interface{}) {
	for k, v := range src {
		if sv, ok := v.(map[string]interface{}); ok {
			if dv, ok := dst[k].(map[string]interface{}); ok {
				merge(dv, sv)
				continue
			}
		}
		dst[k] = v
	}
}

func run() error {
	if len(os.Args) < 2 {
		return errors.New("usage: helm-render CHART_DIR [-f values.yaml]...")
	}
	chartDir := os.Args[1]
	values, err := readYamlMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return err
	}
	for i := 2; i < len(os.Args); i++ {
		if os.Args[i] != "-f" || i+1 >= len(os.Args) {
			return fmt.Errorf("unexpected argument %q", os.Args[i])
		}
		i++
		extra, err := readYamlMap(os.Args[i])
		if err != nil {
			return err
		}
		merge(values, extra)
	}
	chartMeta, err := readYamlMap(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return err
	}
	chart := map[string]interface{}{}
	for k, v := range chartMeta { // Helm exposes Chart.yaml fields capitalized
		chart[strings.ToUpper(k[:1])+k[1:]] = v
	}
	name, _ := chart["Name"].(string)

	root := template.New("chart")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env") // Helm removes these two
	delete(funcs, "expandenv")
	includeDepth := 0
	funcs["include"] = func(tname string, data interface{}) (string, error) {
		includeDepth++
		defer func() { includeDepth-- }()
		if includeDepth > 100 {
			return "", errors.New("include: recursion too deep")
		}
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, tname, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.String(), err
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	funcs["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	funcs["toYaml"] = func(v interface{}) string { s, _ := toYaml(v); return s }
	funcs["toJson"] = func(v interface{}) string { b, _ := json.Marshal(v); return string(b) }
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	root.Funcs(funcs).Option("missingkey=error")

	tdir := filepath.Join(chartDir, "templates")
	entries, err := os.ReadDir(tdir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			return fmt.Errorf("templates/%s: subdirectories are not supported", e.Name())
		}
		text, err := os.ReadFile(filepath.Join(tdir, e.Name()))
		if err != nil {
			return err
		}
		tname := name + "/templates/" + e.Name()
		if _, err := root.New(tname).Parse(string(text)); err != nil {
			return err
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)

	data := map[string]interface{}{
		"Values":  values,
		"Chart":   chart,
		"Release": map[string]interface{}{"Name": "release", "Namespace": "default", "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.29.0", "Major": "1", "Minor": "29"},
		},
	}
	var out bytes.Buffer
	var notes string
	for _, n := range names {
		if strings.HasPrefix(n, "_") {
			continue // partials define templates, they render nothing
		}
		tname := name + "/templates/" + n
		data["Template"] = map[string]interface{}{"Name": tname, "BasePath": name + "/templates"}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, tname, data); err != nil {
			return err
		}
		if n == "NOTES.txt" {
			notes = buf.String()
			continue
		}
		if strings.TrimSpace(buf.String()) == "" {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", tname, strings.TrimLeft(buf.String(), "\n"))
	}
	if notes != "" {
		fmt.Fprintf(&out, "---\n# Source: NOTES.txt\n%s", indentComment(notes))
	}
	_, err = os.Stdout.Write(out.Bytes())
	return err
}

// indentComment turns NOTES.txt into YAML comments so the output stays one
// YAML stream.
func indentComment(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "# " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "helm-render:", err)
		os.Exit(1)
	}
}
