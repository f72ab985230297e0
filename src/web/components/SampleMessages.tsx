const SHOWN = 3;

export function SampleMessages({ samples }: { samples: readonly string[] }) {
  if (samples.length === 0) return null;
  return (
    <ul className="samples" aria-label="Sample messages">
      {samples.slice(0, SHOWN).map((text, index) => (
        <li key={index} className="sample">
          {text}
        </li>
      ))}
    </ul>
  );
}
