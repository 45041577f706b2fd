// `rampart fix` on a Compose file: each service's failing checks are fixed one at a time on its value (judged
// again after each, so two fixes of one list agree), then the file is edited at the nodes that changed: comments,
// key order, quoting and anchors elsewhere stay byte for byte.
import { isDeepStrictEqual } from "node:util";
import { isMap } from "yaml";
import { evaluateFacts, fixFacts, type CheckDefinition, type DockerFix } from "@/lib/checks/define-check";
import { DIGEST_PLACEHOLDER } from "@/lib/checks/support/images";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import { isRecord } from "@/lib/normalize";
import { normalizeComposeService } from "@/lib/normalize/compose";
import { applyComposeFix } from "@/lib/remediation/compose-service";
import { applyEdits, valueEdits } from "@/lib/remediation/patch-document";
import { composeProjectName, composeValue, isComposeDocument, parseComposeDocument } from "./compose";

type Json = Record<string, unknown>;

export interface ComposeFixResult {
  text: string;
  /** `service checkId` of every requested check that still fails. */
  failing: Set<string>;
}

function factsOf(service: Json, file: string, project: string, name: string): DockerContainerFacts | undefined {
  const context = { source: `${file}#${name}`, project, service: name, lines: () => undefined };
  return normalizeComposeService(service, context).facts;
}

/** A fix written into a file must be complete: the digest placeholder is left for `rampart scan` to report. */
function isWritable(fix: DockerFix | undefined): fix is DockerFix {
  return fix !== undefined && !JSON.stringify(fix.compose ?? {}).includes(DIGEST_PLACEHOLDER);
}

/** The service with one failing check fixed at a time until no fix changes it any more. */
function fixService(
  service: Json,
  checks: readonly CheckDefinition[],
  facts: (s: Json) => DockerContainerFacts | undefined,
) {
  let current = service;
  for (let round = 0; round <= checks.length; round++) {
    const judged = facts(current);
    if (!judged) break;
    const next = checks
      .filter((check) => evaluateFacts(check, judged).status === "fail")
      .map((check) => fixFacts(check, judged) as DockerFix | undefined)
      .filter(isWritable)
      .map((fix) => applyComposeFix(current, fix))
      .find((fixed) => !isDeepStrictEqual(fixed, current));
    if (!next) break;
    current = next;
  }
  return current;
}

/** Top-level `networks` and `secrets` a fix names in a service and the file does not declare yet. */
function declare(root: Json, before: Json, after: Json): Json {
  const out = { ...root };
  const named = (service: Json, key: string) => {
    const value = service[key];
    return Array.isArray(value) ? value.map(String) : isRecord(value) ? Object.keys(value) : [];
  };
  for (const [key, declaration] of [
    ["networks", () => ({})],
    ["secrets", (name: string) => ({ file: `./secrets/${name}` })],
  ] as const) {
    const declared = isRecord(root[key]) ? root[key] : {};
    const added = named(after, key).filter((name) => !named(before, key).includes(name) && !(name in declared));
    if (added.length > 0) out[key] = { ...declared, ...Object.fromEntries(added.map((n) => [n, declaration(n)])) };
  }
  return out;
}

/** The Compose file with the named services' failing checks fixed. Throws on a file it cannot read again. */
export function fixComposeText(
  text: string,
  file: string,
  services: readonly string[],
  checks: readonly CheckDefinition[],
): ComposeFixResult {
  const parsed = parseComposeDocument(text);
  const value = composeValue(parsed);
  if (value instanceof Error) throw value;
  if (!isComposeDocument(value) || !isMap(parsed.document.contents)) throw new Error("no longer a Compose file");
  const project = composeProjectName(value, file);
  let after: Json = { ...value, services: { ...value.services } };
  const failing = new Set<string>();
  for (const name of services) {
    const service = value.services[name] ?? {};
    const facts = (s: Json) => factsOf(s, file, project, name);
    const fixed = fixService(service, checks, facts);
    (after.services as Json)[name] = fixed;
    after = declare(after, service, fixed);
    const judged = facts(fixed);
    for (const check of checks)
      if (judged && evaluateFacts(check, judged).status === "fail") failing.add(`${name} ${check.id}`);
  }
  const edits = valueEdits(text, parsed.document.contents, value as Json, after);
  return { text: applyEdits(text, edits), failing };
}
