/**
 * The API reports in `api/`: one api-extractor run per entry point of package.json "exports", on the
 * declarations `npm run build` wrote to `dist/` (one config per entry beside this file, all extending
 * `base.json`).
 *
 *   npm run api:check    fails when a report differs from the surface, or a public signature uses
 *                        a type no entry point exports (`ae-forgotten-export`)
 *   npm run api:update   writes the reports (`--local`); review the diff of `api/*.api.md`
 *
 * One rule api-extractor cannot state: it treats each entry point as a package of its own, so a
 * subpath (`comfyui-rx/queue`) whose signatures use a name the root entry exports (`ComfyPool`) would
 * be told to export it again. Such a name is exported (users import it from `comfyui-rx`), so that
 * message is dropped; the root entry itself must export every type its signatures use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Node, Program, Symbol as TsSymbol } from 'typescript';
import { CompilerState, ConsoleMessageId, Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage, ExtractorMessageId } from '@microsoft/api-extractor';

/** The TypeScript api-extractor compiles with (its own copy: its syntax kinds, not the project's). */
const ts: typeof import('typescript') = require(require.resolve('typescript', { paths: [dirname(require.resolve('@microsoft/api-extractor'))] }));

const CONFIG_FOLDER = __dirname;
const PROJECT_FOLDER = resolve(CONFIG_FOLDER, '../..');
const ROOT_CONFIG = 'comfyui-rx.json';

const local = process.argv.includes('--local');

function fail(text: string): never {
  console.error(`api: ${text}`);
  process.exit(1);
}

const configs = readdirSync(CONFIG_FOLDER)
  .filter((name) => name.endsWith('.json') && name !== 'base.json')
  .sort((a, b) => (a === ROOT_CONFIG ? -1 : b === ROOT_CONFIG ? 1 : a.localeCompare(b)))
  .map((name) => ({ name, config: ExtractorConfig.loadFileAndPrepare(join(CONFIG_FOLDER, name)) }));
if (configs[0]?.name !== ROOT_CONFIG) fail(`${relative(PROJECT_FOLDER, join(CONFIG_FOLDER, ROOT_CONFIG))} is missing`);

// Every entry point of package.json gets a report: a new subpath without one fails here.
const exportsField = JSON.parse(readFileSync(join(PROJECT_FOLDER, 'package.json'), 'utf8')).exports as Record<string, string | { types?: string }>;
for (const [subpath, target] of Object.entries(exportsField)) {
  if (typeof target === 'string' || !target.types) continue;
  const types = resolve(PROJECT_FOLDER, target.types);
  if (!configs.some(({ config }) => config.mainEntryPointFilePath === types)) fail(`package.json exports "${subpath}" (${target.types}) but no config in api/extractor/ reports it`);
}
for (const { name, config } of configs) {
  if (!existsSync(config.mainEntryPointFilePath)) fail(`${relative(PROJECT_FOLDER, config.mainEntryPointFilePath)} (for ${name}) is missing: run npm run build first`);
}

// One program for every entry point (they share most of their declarations).
const compilerState = CompilerState.create(configs[0]!.config, { additionalEntryPoints: configs.slice(1).map(({ config }) => config.mainEntryPointFilePath) });
const program = compilerState.program as Program;
const checker = program.getTypeChecker();

const resolveAlias = (symbol: TsSymbol): TsSymbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

/** What the root entry exports, as declarations (aliases resolved). */
const rootExports = new Set<TsSymbol>();
{
  const entry = program.getSourceFile(configs[0]!.config.mainEntryPointFilePath);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) fail('cannot read the root entry point');
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) rootExports.add(resolveAlias(symbol));
}

/**
 * Whether an `ae-forgotten-export` of a subpath names a declaration the root entry exports: the
 * identifiers of that name inside the declaration the message points at, resolved by the compiler.
 */
function exportedByRoot(message: ExtractorMessage): boolean {
  const name = /^The symbol "([^"]+)"/.exec(message.text)?.[1];
  const file = message.sourceFilePath && program.getSourceFile(resolve(PROJECT_FOLDER, message.sourceFilePath));
  if (!name || !file || message.sourceFileLine === undefined || message.sourceFileColumn === undefined) return false;
  const position = file.getPositionOfLineAndCharacter(message.sourceFileLine - 1, message.sourceFileColumn - 1);
  let declaration: Node | undefined;
  const findDeclaration = (node: Node): void => {
    if (declaration) return;
    if (node.getStart(file) === position) declaration = node;
    else if (node.pos <= position && position < node.end) ts.forEachChild(node, findDeclaration);
  };
  ts.forEachChild(file, findDeclaration);
  let found = false;
  const visit = (node: Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name) {
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol && rootExports.has(resolveAlias(symbol))) found = true;
    }
    ts.forEachChild(node, visit);
  };
  if (declaration) visit(declaration);
  return found;
}

/** api-extractor's own words about the report file, which this script says in its own (below). */
const REPORT_NOTICES = new Set<string>([ConsoleMessageId.ApiReportNotCopied, ConsoleMessageId.ApiReportCopied, ConsoleMessageId.ApiReportCreated]);

let failed = false;
for (const [index, { name, config }] of configs.entries()) {
  const report = relative(PROJECT_FOLDER, join(config.reportFolder, config.reportConfigs[0]!.fileName));
  const result = Extractor.invoke(config, {
    localBuild: local,
    compilerState,
    printApiReportDiff: !local,
    messageCallback: (message) => {
      if (message.logLevel === ExtractorLogLevel.Info || message.logLevel === ExtractorLogLevel.Verbose || REPORT_NOTICES.has(message.messageId)) {
        message.handled = true;
      } else if (message.messageId === ConsoleMessageId.ApiReportDiff) {
        console.error(message.text);
        message.handled = true;
      } else if (message.messageId === ExtractorMessageId.ForgottenExport && index > 0 && exportedByRoot(message)) {
        message.logLevel = ExtractorLogLevel.None;
      }
    },
  });
  if (!result.succeeded) {
    failed = true;
    if (result.errorCount > 0) console.error(`api: ${name}: ${result.errorCount} errors (above)`);
    if (result.apiReportChanged && !local) console.error(`api: ${report} differs from the public surface (diff above): run npm run api:update and review the diff of api/*.api.md`);
    else if (result.errorCount === 0) console.error(`api: ${name}: ${result.warningCount} warnings (above)`);
  } else if (local && result.apiReportChanged) {
    console.log(`api: updated ${report}`);
  }
}
if (failed) process.exit(1);
