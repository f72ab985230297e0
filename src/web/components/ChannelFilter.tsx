import { useId, useState } from 'react';

interface Props {
  /** Login or Twitch user id; undefined for every channel. */
  value: string | undefined;
  /** Logins offered as suggestions. */
  channels: readonly string[];
  onChange: (channel: string | undefined) => void;
}

/** Applied on Enter or when the field is left; clearing it shows every channel at once. */
export function ChannelFilter({ value, channels, onChange }: Props) {
  const id = useId();
  const listId = useId();
  const [draft, setDraft] = useState(value ?? '');
  // The route may change elsewhere (back button, a shared link): the field follows it.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(value ?? '');
  }
  const apply = (text: string) => {
    const next = text.trim() || undefined;
    if (next !== value) onChange(next);
  };
  return (
    <form
      className="field"
      role="search"
      aria-label="Clips of one channel"
      onSubmit={(event) => {
        event.preventDefault();
        apply(draft);
      }}
    >
      <label htmlFor={id}>Channel</label>
      <input
        id={id}
        type="search"
        list={listId}
        value={draft}
        placeholder="All channels"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          setDraft(event.target.value);
          if (event.target.value === '') apply('');
        }}
        onBlur={() => apply(draft)}
      />
      <datalist id={listId}>
        {channels.map((channel) => (
          <option key={channel} value={channel} />
        ))}
      </datalist>
    </form>
  );
}
