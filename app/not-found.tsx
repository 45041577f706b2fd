import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        There is nothing at this address. Go back to the{" "}
        <Link href="/" className="text-sky-700 underline">
          overview
        </Link>
        .
      </p>
    </div>
  );
}
