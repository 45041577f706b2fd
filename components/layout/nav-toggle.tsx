"use client";

import { useState, type ReactNode } from "react";

/**
 * Under 640 px the navigation folds behind a Menu button; from `sm` up it is always shown. Following a link
 * folds it again.
 */
export function NavToggle({ children }: { children: ReactNode }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-expanded={isOpen}
        aria-controls="main-navigation"
        onClick={() => setOpen((open) => !open)}
        className="border-shell-line text-shell-ink absolute top-3 right-4 rounded-md border px-3 py-1.5 text-sm font-medium sm:hidden"
      >
        {isOpen ? "Close" : "Menu"}
      </button>
      <div
        id="main-navigation"
        className={isOpen ? "block sm:flex sm:flex-1 sm:flex-col" : "hidden sm:flex sm:flex-1 sm:flex-col"}
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a")) setOpen(false);
        }}
      >
        {children}
      </div>
    </>
  );
}
