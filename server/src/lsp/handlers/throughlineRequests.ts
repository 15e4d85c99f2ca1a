/**
 * Throughline's own requests (common/protocol.ts), used by the VS Code client's tree, status bar and
 * report, and the command code lenses run in any client (`workspace/executeCommand`).
 */
import { ErrorCodes, MessageType, ResponseError, ShowMessageNotification, type Location, type ServerCapabilities } from 'vscode-languageserver/node';
import {
  AlignmentTreeRequest,
  CoverageRequest,
  DescribeItemRequest,
  NextIdRequest,
  PortfolioRequest,
  SHOW_REFERENCES_COMMAND,
  StrategyReportRequest,
} from '../../../../common/protocol';
import { normalizeUri } from '../../node/fsWorkspace';
import { renderReportHtml } from '../../report/html';
import { foldersCoverage, foldersCoverageCounts, foldersPortfolio, foldersTree, noCoverageCounts } from '../folderViews';
import type { Session } from '../session';

/** Places a lens command names in its message; the rest are counted. */
const MAX_PLACES_LISTED = 10;

export const THROUGHLINE_COMMAND_CAPABILITIES: ServerCapabilities = {
  executeCommandProvider: { commands: [SHOW_REFERENCES_COMMAND] },
};

const isPosition = (value: unknown): value is { line: number; character: number } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isInteger((value as { line?: unknown }).line) &&
  Number.isInteger((value as { character?: unknown }).character);
const isLocation = (value: unknown): value is Location =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { uri?: unknown }).uri === 'string' &&
  isPosition((value as { range?: { start?: unknown } }).range?.start) &&
  isPosition((value as { range?: { end?: unknown } }).range?.end);

export function registerThroughlineRequestHandlers(session: Session): void {
  const { connection } = session;
  // A notification, not `window/showMessageRequest`: nothing to answer, and every client shows it.
  const showInfo = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message });

  // A lens's places, for clients without a references view of their own: listed in a message, and
  // the only place opened with `window/showDocument` when the client supports it. The result is
  // the locations, for clients that use it.
  connection.onExecuteCommand((params) =>
    session.guarded('executeCommand', null, async (): Promise<Location[] | null> => {
      if (params.command !== SHOW_REFERENCES_COMMAND)
        throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command; the server runs ${SHOW_REFERENCES_COMMAND}.`);
      const [uri, position, locations] = params.arguments ?? [];
      if (typeof uri !== 'string' || !isPosition(position) || !Array.isArray(locations) || !locations.every(isLocation))
        throw new ResponseError(ErrorCodes.InvalidParams, `${SHOW_REFERENCES_COMMAND} takes a URI, a position and a list of locations.`);
      const service = session.serviceFor(uri);
      const item = service.graph.document(normalizeUri(uri))?.items.find((candidate) => candidate.idSpan.line === position.line);
      const subject = item?.id ?? 'This item';
      if (locations.length === 0) {
        showInfo(`${subject}: nothing delivers it yet.`);
        return [];
      }
      const places = locations
        .slice(0, MAX_PLACES_LISTED)
        .map((location) => `${service.displayPath(normalizeUri(location.uri))}:${location.range.start.line + 1}`);
      const more = locations.length > MAX_PLACES_LISTED ? ` and ${locations.length - MAX_PLACES_LISTED} more` : '';
      showInfo(`${subject}: ${places.join(', ')}${more}`);
      if (locations.length === 1 && session.client.showDocument) {
        await connection.window.showDocument({ uri: locations[0]!.uri, selection: locations[0]!.range, takeFocus: true });
      }
      return locations;
    }),
  );

  /** The strategy folders the views cover: every workspace folder, or the open documents when there is none. */
  const viewed = () => (session.folders.all().length > 0 ? session.folders.all() : [session.folders.primary(session.settings.initialSettings)]);
  /** The string `uri` a client sent, if it sent one (params come from the client and may be anything). */
  const uriParam = (params: unknown) => {
    const value = typeof params === 'object' && params !== null ? (params as { uri?: unknown }).uri : undefined;
    return typeof value === 'string' ? value : undefined;
  };

  // Once a view has answered, what its memos need for the next edit (which reads which) is built in
  // a turn of its own, not on the first keystroke after it: 0.11 s at 10,000 PRDs.
  let preparing = false;
  const prepareViewsSoon = <T>(answer: T): T => {
    if (!preparing) {
      preparing = true;
      setImmediate(() => {
        preparing = false;
        for (const folder of viewed()) {
          try {
            folder.service.prepareViewsForEdits();
          } catch (error) {
            session.logError('Preparing the views for edits failed', error);
          }
        }
      });
    }
    return answer;
  };

  // Params come from the client and may be missing: `?.` below is on purpose.
  connection.onRequest(AlignmentTreeRequest.type, (params, token) =>
    session.guarded('alignmentTree', { roots: [] }, () => prepareViewsSoon(foldersTree(viewed(), params?.key, params?.depth)), {
      token,
      long: true,
      quick: params?.key !== undefined,
    }),
  );
  connection.onRequest(CoverageRequest.type, (params) =>
    params?.progress === false
      ? session.guarded('coverage', noCoverageCounts(), () => prepareViewsSoon(foldersCoverageCounts(viewed())))
      : session.guarded('coverage', { ...noCoverageCounts(), progress: [] }, () => prepareViewsSoon(foldersCoverage(viewed()))),
  );
  connection.onRequest(PortfolioRequest.type, () =>
    session.guarded('portfolio', { prds: 0, requirements: 0, dimensions: [], innovationTargets: [] }, () => prepareViewsSoon(foldersPortfolio(viewed()))),
  );
  connection.onRequest(StrategyReportRequest.type, (params, token) =>
    session.guarded(
      'report',
      { html: '' },
      (service) =>
        prepareViewsSoon({
          html: renderReportHtml(service.getStrategyReport(), { theme: params?.theme ?? 'standalone', nonce: params?.nonce, cspSource: params?.cspSource }),
        }),
      // The report is one folder's: the folder of `uri` when the client names one, else the first.
      { token, long: true, uri: uriParam(params) },
    ),
  );
  connection.onRequest(DescribeItemRequest.type, (params) =>
    session.guarded('describe', null, () => {
      for (const folder of viewed()) {
        const description = folder.service.describe(params.id);
        if (description !== undefined) return description;
      }
      return null;
    }),
  );
  connection.onRequest(NextIdRequest.type, (params) =>
    session.guarded(
      'nextId',
      null,
      (service) => {
        // The kind comes from the client: it is checked against the configured kinds and never quoted back.
        const id = service.nextFreeId(params?.kind);
        if (id === undefined)
          throw new ResponseError(
            ErrorCodes.InvalidParams,
            'throughline/nextId: `kind` must be one of the configured item kinds (vision, strategy, prd, ...).',
          );
        return { id };
      },
      { uri: uriParam(params) },
    ),
  );
}
