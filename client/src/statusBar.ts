import { formatShare } from '../../common/wording';
import * as vscode from 'vscode';
import type { CoverageCounts } from '../../common/protocol';

/** `⛓ 87% traced` in the status bar; the tooltip has all three coverage figures and a click opens the tree. */
export class CoverageStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('throughline.coverage', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Throughline Coverage';
    this.item.command = 'throughline.alignment.focus';
  }

  update(coverage: CoverageCounts | undefined): void {
    if (!coverage || coverage.requirements + coverage.outcomes + coverage.objectives === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `⛓ ${formatShare(coverage.tracedRequirements, coverage.requirements)} traced`;
    const tooltip = new vscode.MarkdownString(
      [
        '**Throughline coverage**',
        '',
        `- Requirements traced: ${coverage.tracedRequirements}/${coverage.requirements} (${formatShare(coverage.tracedRequirements, coverage.requirements)})`,
        `- Outcomes delivered: ${coverage.deliveredOutcomes}/${coverage.outcomes} (${formatShare(coverage.deliveredOutcomes, coverage.outcomes)})`,
        `- Objectives with outcomes: ${coverage.objectivesWithOutcomes}/${coverage.objectives} (${formatShare(coverage.objectivesWithOutcomes, coverage.objectives)})`,
        '',
        'Click to open the alignment tree. [Open the strategy report](command:throughline.openReport)',
      ].join('\n'),
    );
    // Only this command may run from the tooltip's link.
    tooltip.isTrusted = { enabledCommands: ['throughline.openReport'] };
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function coverageSummary(coverage: CoverageCounts): string {
  return `Requirements traced: ${coverage.tracedRequirements}/${coverage.requirements} (${formatShare(coverage.tracedRequirements, coverage.requirements)}) · Outcomes delivered: ${coverage.deliveredOutcomes}/${coverage.outcomes} (${formatShare(coverage.deliveredOutcomes, coverage.outcomes)}) · Objectives with outcomes: ${coverage.objectivesWithOutcomes}/${coverage.objectives}`;
}
