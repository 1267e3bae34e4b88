/**
 * Static analysis of one TypeScript notebook cell for reactive execution: what the cell defines at
 * its top level, which free names it references (value and type positions), which names it assigns
 * or mutates without defining them, its `// @param` controls, and its syntax errors.
 *
 * Pure: the TypeScript compiler module is passed in (`analyzeCell(ts, source)`), so the browser
 * plugin can load it lazily (`await import('typescript')`) and the tests hand it the Node copy.
 * Nothing is type-checked — one `ts.createSourceFile` parse per cell, then a scope walk.
 *
 * Scopes follow JavaScript: `var` and function declarations hoist to the enclosing function (or the
 * cell), `let`/`const`/`class`/`enum` are block scoped, parameters, type parameters, `catch`
 * bindings, mapped-type keys and `infer` variables are local. A name declared anywhere at the
 * cell's top level (including a `var` inside a top-level block) is the cell's own: a reference to
 * it is not a dependency (`let x = 1; x = x + 1` depends on nothing).
 */
import type * as TS from 'typescript';
import { parseParams, type ParamSpec } from './params.js';

export type { ParamSpec } from './params.js';

/** The TypeScript compiler module (`import ts from 'typescript'`). */
export type TsModule = typeof TS;

/** What kind of declaration introduced a top-level name. */
export type DefinitionKind =
  | 'const' | 'let' | 'var' | 'function' | 'class' | 'enum' | 'import' | 'type' | 'interface' | 'namespace';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
}

/** A free name written by the cell: `x = 1`, `x += 1`, `x++`, `[x] = a`, `for (x of a)`. */
export interface Assignment {
  readonly name: string;
  /** 1-based line of the first such write. */
  readonly line: number;
}

/** A member write or method call on a free name: `x.a = 1`, `x[i] = v`, `delete x.a`, `x.push(1)`. */
export interface Mutation {
  readonly name: string;
  readonly how: 'member-assignment' | 'method-call';
  /** The called method for `method-call` (`push` in `x.data.push(1)`). */
  readonly method?: string;
  readonly line: number;
}

/** A problem found in the cell alone (syntax errors, misplaced `@param` comments). */
export interface CellProblem {
  readonly kind: 'syntax' | 'param';
  readonly message: string;
  readonly line: number;
}

export interface CellAnalysis {
  /** Top-level names, in source order, each once. */
  readonly defines: readonly string[];
  readonly definitions: readonly Definition[];
  /** Free names read by the cell (value or type positions), sorted. Globals such as `Math` are included. */
  readonly references: readonly string[];
  /** The subset of `references` that occur only in type positions (`x: Foo`, `implements Bar`, `typeof y`). */
  readonly typeOnlyReferences: readonly string[];
  /** Free names the cell writes (also listed in `references`: a write depends on the definer). */
  readonly assigns: readonly Assignment[];
  readonly mutations: readonly Mutation[];
  readonly params: readonly ParamSpec[];
  readonly problems: readonly CellProblem[];
  /** True when the parser reported errors: the other fields are the parser's best recovery. */
  readonly syntaxError: boolean;
}

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | null) {}
  has(name: string): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
}

/** Parses and analyses one cell. Never throws on bad source: syntax errors become `problems`. */
export function analyzeCell(ts: TsModule, source: string): CellAnalysis {
  const sf = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(Math.max(0, Math.min(pos, source.length))).line + 1;
  const problems: CellProblem[] = [];
  const diags = syntaxDiagnostics(ts, sf, source);
  for (const d of diags) {
    problems.push({ kind: 'syntax', message: ts.flattenDiagnosticMessageText(d.messageText, ' '), line: lineOf(d.start ?? 0) });
  }

  // ---- top-level definitions (the cell scope) ----
  const definitions: Definition[] = [];
  const seen = new Set<string>();
  const define = (name: string, kind: DefinitionKind): void => {
    if (!name || seen.has(name)) return;
    seen.add(name);
    definitions.push({ name, kind });
  };
  for (const st of sf.statements) {
    for (const [name, kind] of statementDeclarations(ts, st, true)) define(name, kind);
    for (const name of hoistedVars(ts, st, false)) define(name, 'var');
  }
  const cellScope = new Scope(null);
  for (const d of definitions) cellScope.names.add(d.name);

  // ---- free references ----
  const valueRefs = new Set<string>();
  const typeRefs = new Set<string>();
  const assigns = new Map<string, Assignment>();
  const mutations: Mutation[] = [];

  const onIdentifier = (id: TS.Identifier, scope: Scope): void => {
    if (!isReference(ts, id)) return;
    const name = id.text;
    if (scope.has(name)) return; // local, or the cell's own top-level name
    if (isTypePosition(ts, id)) typeRefs.add(name);
    else valueRefs.add(name);
    if (isAssignmentTarget(ts, id) && !assigns.has(name)) assigns.set(name, { name, line: lineOf(id.getStart(sf)) });
    const m = memberUse(ts, id);
    if (m) mutations.push({ name, ...m, line: lineOf(id.getStart(sf)) });
  };

  const visit = (node: TS.Node, scope: Scope): void => {
    if (ts.isIdentifier(node)) {
      onIdentifier(node, scope);
      return;
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      onIdentifier(node.name, scope);
      if (node.objectAssignmentInitializer) visit(node.objectAssignmentInitializer, scope);
      return;
    }
    const inner = scopeFor(ts, node, scope);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  for (const st of sf.statements) visit(st, cellScope);

  const references = [...new Set([...valueRefs, ...typeRefs])].sort();
  const typeOnlyReferences = [...typeRefs].filter((n) => !valueRefs.has(n)).sort();
  const parsed = parseParams(ts, sf, source);
  for (const p of parsed.problems) problems.push({ kind: 'param', message: p.message, line: p.line });
  return {
    defines: definitions.map((d) => d.name),
    definitions,
    references,
    typeOnlyReferences,
    assigns: [...assigns.values()],
    mutations,
    params: parsed.params,
    problems,
    syntaxError: diags.length > 0,
  };
}

function syntaxDiagnostics(ts: TsModule, sf: TS.SourceFile, source: string): readonly TS.Diagnostic[] {
  // `parseDiagnostics` is what the parser collected; fall back to a transpile when a TypeScript
  // build hides it.
  const own = (sf as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics;
  if (Array.isArray(own)) return own;
  const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.Latest } });
  return out.diagnostics ?? [];
}

// ---------------------------------------------------------------------------------------------
// Declarations

function bindingNames(ts: TsModule, name: TS.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
    for (const el of name.elements) if (ts.isBindingElement(el)) bindingNames(ts, el.name, out);
  }
  return out;
}

/** Names a statement declares in the scope it appears in (`var` included only at `topLevel`). */
function statementDeclarations(ts: TsModule, st: TS.Statement, topLevel: boolean): Array<[string, DefinitionKind]> {
  const out: Array<[string, DefinitionKind]> = [];
  if (ts.isVariableStatement(st)) {
    const flags = st.declarationList.flags;
    const kind: DefinitionKind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
    if (kind !== 'var' || topLevel) {
      for (const d of st.declarationList.declarations) for (const n of bindingNames(ts, d.name)) out.push([n, kind]);
    }
  } else if (ts.isFunctionDeclaration(st) && st.name) out.push([st.name.text, 'function']);
  else if (ts.isClassDeclaration(st) && st.name) out.push([st.name.text, 'class']);
  else if (ts.isEnumDeclaration(st)) out.push([st.name.text, 'enum']);
  else if (ts.isInterfaceDeclaration(st)) out.push([st.name.text, 'interface']);
  else if (ts.isTypeAliasDeclaration(st)) out.push([st.name.text, 'type']);
  else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) out.push([st.name.text, 'namespace']);
  else if (ts.isImportEqualsDeclaration(st)) out.push([st.name.text, 'import']);
  else if (ts.isImportDeclaration(st) && st.importClause) {
    const c = st.importClause;
    if (c.name) out.push([c.name.text, 'import']);
    const b = c.namedBindings;
    if (b && ts.isNamespaceImport(b)) out.push([b.name.text, 'import']);
    else if (b && ts.isNamedImports(b)) for (const el of b.elements) out.push([el.name.text, 'import']);
  }
  return out;
}

/**
 * `var` names declared under `node` that hoist out of blocks (not out of functions or classes).
 * With `includeSelf` false a top-level `var` statement itself is skipped (counted by
 * statementDeclarations).
 */
function hoistedVars(ts: TsModule, node: TS.Node, includeSelf: boolean, out: string[] = []): string[] {
  if (ts.isVariableStatement(node)) {
    if (includeSelf && !(node.declarationList.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) {
      for (const d of node.declarationList.declarations) bindingNames(ts, d.name, out);
    }
  } else if (ts.isVariableDeclarationList(node)) {
    // `for (var i = 0; ...)`, `for (var k in o)`
    if (!(node.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) for (const d of node.declarations) bindingNames(ts, d.name, out);
    return out;
  }
  if (isFunctionLike(ts, node) || ts.isClassLike(node)) return out;
  ts.forEachChild(node, (c) => {
    hoistedVars(ts, c, true, out);
  });
  return out;
}

function isFunctionLike(ts: TsModule, n: TS.Node): boolean {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)
    || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

function addTypeParams(params: TS.NodeArray<TS.TypeParameterDeclaration> | undefined, scope: Scope): void {
  if (params) for (const p of params) scope.names.add(p.name.text);
}

/** The scope a node's children see: a new one for functions, blocks, loops, classes, …; else `outer`. */
function scopeFor(ts: TsModule, node: TS.Node, outer: Scope): Scope {
  if (isFunctionLike(ts, node)) {
    const fn = node as TS.FunctionLikeDeclaration;
    const s = new Scope(outer);
    if ((ts.isFunctionExpression(node)) && node.name) s.names.add(node.name.text);
    addTypeParams(fn.typeParameters, s);
    for (const p of fn.parameters) for (const n of bindingNames(ts, p.name)) s.names.add(n);
    if (fn.body) {
      for (const n of hoistedVars(ts, fn.body, true)) s.names.add(n);
    }
    return s;
  }
  if (ts.isClassLike(node)) {
    const s = new Scope(outer);
    if (ts.isClassExpression(node) && node.name) s.names.add(node.name.text);
    addTypeParams(node.typeParameters, s);
    return s;
  }
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isCallSignatureDeclaration(node)
    || ts.isConstructSignatureDeclaration(node) || ts.isMethodSignature(node) || ts.isFunctionTypeNode(node)
    || ts.isConstructorTypeNode(node)) {
    const s = new Scope(outer);
    addTypeParams((node as { typeParameters?: TS.NodeArray<TS.TypeParameterDeclaration> }).typeParameters, s);
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node) || ts.isMethodSignature(node)
      || ts.isCallSignatureDeclaration(node) || ts.isConstructSignatureDeclaration(node)) {
      for (const p of node.parameters) for (const n of bindingNames(ts, p.name)) s.names.add(n);
    }
    return s;
  }
  if (ts.isMappedTypeNode(node)) {
    const s = new Scope(outer);
    s.names.add(node.typeParameter.name.text);
    return s;
  }
  if (ts.isConditionalTypeNode(node)) {
    const s = new Scope(outer);
    const collect = (n: TS.Node): void => {
      if (ts.isInferTypeNode(n)) s.names.add(n.typeParameter.name.text);
      ts.forEachChild(n, collect);
    };
    collect(node.extendsType);
    return s;
  }
  if (ts.isEnumDeclaration(node)) {
    const s = new Scope(outer);
    for (const m of node.members) if (ts.isIdentifier(m.name)) s.names.add(m.name.text);
    return s;
  }
  if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseBlock(node)) {
    const s = new Scope(outer);
    const statements = ts.isCaseBlock(node) ? node.clauses.flatMap((c) => [...c.statements]) : node.statements;
    for (const st of statements) for (const [n] of statementDeclarations(ts, st, false)) s.names.add(n);
    return s;
  }
  if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
    const s = new Scope(outer);
    const init = node.initializer;
    if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) for (const n of bindingNames(ts, d.name)) s.names.add(n);
    return s;
  }
  if (ts.isCatchClause(node)) {
    const s = new Scope(outer);
    if (node.variableDeclaration) for (const n of bindingNames(ts, node.variableDeclaration.name)) s.names.add(n);
    return s;
  }
  return outer;
}

// ---------------------------------------------------------------------------------------------
// Identifier positions

/** Whether an identifier reads or writes a binding (rather than naming a property, a declaration, a label, …). */
function isReference(ts: TsModule, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p)
    || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)
    || ts.isPropertyAccessExpression(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)
    || ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)
    || ts.isEnumDeclaration(p) || ts.isModuleDeclaration(p) || ts.isTypeParameterDeclaration(p)
    || ts.isImportEqualsDeclaration(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isNamespaceExport(p)
    || ts.isNamedTupleMember(p)) && p.name === id) return false;
  if (ts.isBindingElement(p)) return p.initializer === id; // names are declarations, a default is a read
  if (ts.isImportSpecifier(p)) return false;
  if (ts.isExportSpecifier(p)) return (p.propertyName ?? p.name) === id && !p.parent.parent.moduleSpecifier;
  if (ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) return false;
  if (ts.isMetaProperty(p)) return false;
  if (ts.isTypePredicateNode(p) && p.parameterName === id) return false;
  if (ts.isImportTypeNode(p)) return false;
  if (ts.isJsxAttribute(p)) return false;
  return true;
}

/** Whether an identifier sits in a type (`x: Foo`, `Foo<T>`, `implements Bar`, `typeof y`, `A.B`). */
function isTypePosition(ts: TsModule, id: TS.Identifier): boolean {
  let n: TS.Node = id;
  while (n.parent && (ts.isQualifiedName(n.parent) || (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n
    && ts.isExpressionWithTypeArguments(outerAccess(ts, n.parent).parent)))) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p)) return true;
  if (ts.isExpressionWithTypeArguments(p)) {
    const clause = p.parent;
    if (ts.isHeritageClause(clause)) return clause.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(clause.parent);
    return false;
  }
  return false;
}

function outerAccess(ts: TsModule, n: TS.Node): TS.Node {
  while (n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) n = n.parent;
  return n;
}

function skipParens(ts: TsModule, n: TS.Node): TS.Node {
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAsExpression(n.parent)
    || ts.isSatisfiesExpression(n.parent) || ts.isTypeAssertionExpression(n.parent))) n = n.parent;
  return n;
}

function isAssignmentOperator(ts: TsModule, kind: TS.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Whether the expression `n` is written: `n = …`, `n += …`, `n++`, a destructuring target, a for-in/of target. */
function isWritten(ts: TsModule, start: TS.Node): boolean {
  let n = skipParens(ts, start);
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (ts.isBinaryExpression(p)) return p.left === n && isAssignmentOperator(ts, p.operatorToken.kind);
    if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) {
      return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken;
    }
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === n) return true;
    // inside a destructuring pattern: [a, b] = …, ({ a, b: c } = …), [...rest] = …
    if (ts.isArrayLiteralExpression(p) || ts.isSpreadElement(p) || ts.isSpreadAssignment(p)
      || ts.isShorthandPropertyAssignment(p) || ts.isObjectLiteralExpression(p)) {
      n = skipParens(ts, p);
      continue;
    }
    if (ts.isPropertyAssignment(p) && p.initializer === n) {
      n = p;
      continue;
    }
    // `[a = 1] = …`: the default's target
    return false;
  }
}

function isAssignmentTarget(ts: TsModule, id: TS.Identifier): boolean {
  if (ts.isShorthandPropertyAssignment(id.parent)) return isWritten(ts, id.parent);
  return isWritten(ts, id);
}

/** A member write or method call rooted at `id` (`id.a = 1`, `id[i]++`, `delete id.a`, `id.x.push(1)`). */
function memberUse(ts: TsModule, id: TS.Identifier): { how: Mutation['how']; method?: string } | null {
  let n: TS.Node = id;
  let depth = 0;
  while (n.parent && ((ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent)) && n.parent.expression === n
    || ts.isNonNullExpression(n.parent) || ts.isParenthesizedExpression(n.parent))) {
    if (!ts.isNonNullExpression(n.parent) && !ts.isParenthesizedExpression(n.parent)) depth++;
    n = n.parent;
  }
  if (depth === 0) return null;
  if (isWritten(ts, n)) return { how: 'member-assignment' };
  const top = skipParens(ts, n);
  if (top.parent && ts.isDeleteExpression(top.parent)) return { how: 'member-assignment' };
  if (top.parent && ts.isCallExpression(top.parent) && top.parent.expression === top) {
    const method = ts.isPropertyAccessExpression(n) ? n.name.text
      : ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : '[computed]';
    return { how: 'method-call', method };
  }
  return null;
}
