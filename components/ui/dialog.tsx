"use client";

import { useRef, type ReactNode } from "react";
import { Button, type ButtonProps } from "./button";

/** A modal on the native <dialog>: focus moves into it, Escape closes it, focus returns to the opener. */
export function Dialog(props: {
  title: string;
  openLabel: string;
  openVariant?: ButtonProps["variant"];
  disabled?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button
        type="button"
        variant={props.openVariant ?? "primary"}
        size="sm"
        disabled={props.disabled}
        onClick={() => ref.current?.showModal()}
      >
        {props.openLabel}
      </Button>
      <dialog
        ref={ref}
        aria-label={props.title}
        className="m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <h2 className="text-base font-semibold text-slate-900">{props.title}</h2>
          <button
            type="button"
            onClick={() => ref.current?.close()}
            className="rounded px-2 text-lg text-slate-600 hover:bg-slate-100"
            aria-label="Close"
          >
            ×
          </button>
        </div>
        <div className="px-5 py-4">{props.children}</div>
      </dialog>
    </>
  );
}
