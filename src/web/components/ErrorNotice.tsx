interface Props {
  what: string;
  error: Error;
  onRetry?: () => void;
}

export function ErrorNotice({ what, error, onRetry }: Props) {
  return (
    <div className="notice notice--error" role="alert">
      <p>
        <strong>{what}</strong> {error.message}
      </p>
      {onRetry && (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
