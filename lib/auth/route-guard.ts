import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ROLE_RANK, isRole, type Role } from "./roles";
import { ruleFor, type RouteKind } from "./route-roles";

export interface GuardedFunction {
  file: string;
  kind: RouteKind;
  name: string;
  /** Role of the first requireRole/requireApiRole call in the function, null without one. */
  checked: Role | null;
  required: Role | "public" | null;
}

const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

export function listSourceFiles(root: string, folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listSourceFiles(root, relative));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(relative);
  }
  return out;
}

function hasUseServer(statements: ts.NodeArray<ts.Statement> | undefined): boolean {
  const first = statements?.[0];
  return (
    first !== undefined &&
    ts.isExpressionStatement(first) &&
    ts.isStringLiteral(first.expression) &&
    first.expression.text === "use server"
  );
}

/** The role passed to the first requireRole(role) / requireApiRole(request, role) call under `node`. */
function firstCheckedRole(node: ts.Node): Role | null {
  let found: Role | null = null;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child) && ts.isIdentifier(child.expression)) {
      const index = { requireRole: 0, requireApiRole: 1 }[child.expression.text];
      const argument = index === undefined ? undefined : child.arguments[index];
      if (argument && ts.isStringLiteral(argument) && isRole(argument.text)) {
        found = argument.text;
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isDefault(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/**
 * Exported values by name (`default` for the default export). An export that is not a function literal
 * (`export const GET = handler`, `export { x as POST }`) maps to its expression, which contains no check, so
 * it fails unless its rule is public: a check hidden in another module cannot be verified here.
 */
function exportedFunctions(source: ts.SourceFile): Map<string, ts.Node> {
  const functions = new Map<string, ts.Node>();
  const locals = new Map<string, FunctionLike>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) locals.set(statement.name.text, statement);
    if (ts.isFunctionDeclaration(statement) && isExported(statement)) {
      functions.set(isDefault(statement) ? "default" : (statement.name?.text ?? "default"), statement);
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (!ts.isIdentifier(declaration.name) || !init) continue;
        if (isExported(statement)) functions.set(declaration.name.text, init);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) locals.set(declaration.name.text, init);
      }
    }
    if (ts.isExportAssignment(statement)) {
      const local = ts.isIdentifier(statement.expression) ? locals.get(statement.expression.text) : undefined;
      functions.set("default", local ?? statement.expression);
    }
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) functions.set(element.name.text, element);
    }
  }
  return functions;
}

/** Functions with their own `"use server"` directive, wherever they are declared. */
function inlineActions(source: ts.SourceFile): { name: string; node: FunctionLike }[] {
  const found: { name: string; node: FunctionLike }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.body) {
      if (ts.isBlock(node.body) && hasUseServer(node.body.statements)) {
        found.push({ name: ts.isFunctionDeclaration(node) ? (node.name?.text ?? "anonymous") : "inline", node });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function kindsOf(file: string, source: ts.SourceFile): RouteKind[] {
  const kinds: RouteKind[] = [];
  if (/\/page\.tsx?$/.test(file)) kinds.push("page");
  if (/\/route\.tsx?$/.test(file)) kinds.push("route");
  if (hasUseServer(source.statements)) kinds.push("action");
  return kinds;
}

function selected(kind: RouteKind, name: string): boolean {
  if (kind === "page") return name === "default";
  if (kind === "route") return HTTP_METHODS.has(name);
  return true;
}

/** Every page, route handler and server action under `folder`, with the role it checks and the role it must. */
export function listGuardedFunctions(root: string, folder = "app"): GuardedFunction[] {
  const out: GuardedFunction[] = [];
  for (const file of listSourceFiles(root, folder)) {
    const text = readFileSync(path.join(root, file), "utf8");
    const source = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
      file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const exported = exportedFunctions(source);
    for (const kind of kindsOf(file, source)) {
      const rule = ruleFor(file, kind);
      for (const [name, node] of exported) {
        if (!selected(kind, name)) continue;
        const required = rule?.role === "public" ? "public" : (rule?.exports?.[name] ?? rule?.role ?? null);
        out.push({ file, kind, name, checked: firstCheckedRole(node), required });
      }
    }
    for (const { name, node } of inlineActions(source)) {
      const rule = ruleFor(file, "action");
      out.push({ file, kind: "action", name, checked: firstCheckedRole(node), required: rule?.role ?? null });
    }
  }
  return out;
}

export function isGuardedEnough(entry: GuardedFunction): boolean {
  if (entry.required === "public") return true;
  if (entry.required === null || entry.checked === null) return false;
  return ROLE_RANK[entry.checked] >= ROLE_RANK[entry.required];
}
