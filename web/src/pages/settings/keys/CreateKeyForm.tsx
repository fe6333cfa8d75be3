// A one-line "name + Create" form for a new key (ingestion or personal).

import { useId, useState, type FormEvent } from 'react';

interface Props {
  label: string;
  placeholder: string;
  onCreate: (name: string) => Promise<boolean>;
}

export default function CreateKeyForm({ label, placeholder, onCreate }: Props) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      if (await onCreate(name.trim())) setName('');
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        value={name}
        maxLength={128}
        placeholder={placeholder}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" disabled={busy || name.trim() === ''}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}
