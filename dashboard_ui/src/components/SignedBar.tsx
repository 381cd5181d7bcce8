/** A bar from the centre line: right and green when positive, left and red when negative. */
export function SignedBar({ positive, share }: { positive: boolean; share: number }) {
  const width = `${share * 50}%`;
  return (
    <span className="relative h-3 rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
      <span className="absolute top-0 bottom-0 left-1/2 w-px bg-slate-400" />
      <span
        className={`absolute top-0 bottom-0 rounded ${positive ? "bg-emerald-500" : "bg-red-500"}`}
        style={positive ? { left: "50%", width } : { right: "50%", width }}
      />
    </span>
  );
}
