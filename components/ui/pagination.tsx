import Link from "next/link";

export function Pagination(props: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  const { page, pageCount, hrefFor } = props;
  if (pageCount <= 1) return null;
  const linkStyle = "rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100";
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-600">
      <span>
        Page {page} of {pageCount}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link className={linkStyle} href={hrefFor(page - 1)} rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pageCount ? (
          <Link className={linkStyle} href={hrefFor(page + 1)} rel="next">
            Next
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
