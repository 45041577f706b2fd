// Types of bundled-packages.mjs (plain JavaScript, as build.mjs is) for the TypeScript that imports it.
import type { Plugin } from "esbuild";

export const BUNDLED_PACKAGES: string[];
export function bundledPackagesPlugin(root: string, buildDir: string): Plugin;
export function bundledManifests(root: string, inputs: string[]): string[];
export const REQUIRE_BANNER: string;
