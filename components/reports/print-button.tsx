"use client";

/** The browser's print dialog (Save as PDF there); the page's print CSS makes the document. */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 print:hidden"
    >
      Print or save as PDF
    </button>
  );
}
