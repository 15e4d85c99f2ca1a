/** Throughline's own requests (common/protocol.ts), used by the VS Code client's tree, status bar and report. */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import {
  AlignmentTreeRequest,
  CoverageRequest,
  DescribeItemRequest,
  NextIdRequest,
  PortfolioRequest,
  StrategyReportRequest,
} from '../../../../common/protocol';
import { renderReportHtml } from '../../report/html';
import type { Session } from '../session';

export function registerThroughlineRequestHandlers(session: Session): void {
  const { connection } = session;
  // Params come from the client and may be missing: `?.` below is on purpose.
  connection.onRequest(AlignmentTreeRequest.type, (params) =>
    session.guarded('alignmentTree', { roots: [] }, (service) => service.getAlignmentTree(params?.key, params?.depth)),
  );
  connection.onRequest(CoverageRequest.type, () =>
    session.guarded(
      'coverage',
      { requirements: 0, tracedRequirements: 0, outcomes: 0, deliveredOutcomes: 0, objectives: 0, objectivesWithOutcomes: 0, progress: [] },
      (service) => service.getCoverage(),
    ),
  );
  connection.onRequest(PortfolioRequest.type, () =>
    session.guarded('portfolio', { prds: 0, requirements: 0, dimensions: [], innovationTargets: [] }, (service) => service.getPortfolio()),
  );
  connection.onRequest(StrategyReportRequest.type, (params) =>
    session.guarded('report', { html: '' }, (service) => ({
      html: renderReportHtml(service.getStrategyReport(), { theme: params?.theme ?? 'standalone', nonce: params?.nonce, cspSource: params?.cspSource }),
    })),
  );
  connection.onRequest(DescribeItemRequest.type, (params) => session.guarded('describe', null, (service) => service.describe(params.id) ?? null));
  connection.onRequest(NextIdRequest.type, (params) =>
    session.guarded('nextId', null, (service) => {
      // The kind comes from the client: it is checked against the configured kinds and never quoted back.
      const id = service.nextFreeId(params?.kind);
      if (id === undefined)
        throw new ResponseError(ErrorCodes.InvalidParams, 'throughline/nextId: `kind` must be one of the configured item kinds (vision, strategy, prd, ...).');
      return { id };
    }),
  );
}
