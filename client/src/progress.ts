/**
 * Progress of key results and objectives as the alignment tree shows it: a percentage in the
 * description and a ring filled to that fraction as the row's icon.
 *
 * Codicons have no partially filled shape, so the ring is an SVG in a `data:` URI. Such an image
 * cannot read the theme's colours, hence one variant for light and one for dark themes (VS Code
 * picks the dark one for high-contrast dark, the light one for high-contrast light), in the
 * colours of the default themes.
 */

import { progressPercent as progressPercentOf } from '../../common/wording';

type ProblemLevel = 'error' | 'warning';

/** Colours of VS Code's default light and dark themes: charts.blue, and the list error and warning foregrounds. */
const ARC_COLOURS: Record<ProblemLevel | 'none', { light: string; dark: string }> = {
  none: { light: '#1a85ff', dark: '#3794ff' },
  error: { light: '#e51400', dark: '#f14c4c' },
  warning: { light: '#bf8803', dark: '#cca700' },
};
const TRACK_COLOURS = { light: '#424242', dark: '#c5c5c5' };

const RADIUS = 5.5;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** `64%`, rounded down as the server's hover and code lenses do, so 99.6% does not read as done. */
export { formatProgress as progressPercent } from '../../common/wording';

function progressRingSvg(progress: number, arc: string, track: string): string {
  // A whole percent is as fine as a 16-pixel ring can show; it also keeps the icon cache small.
  const filled = ((progressPercentOf(progress) / 100) * CIRCUMFERENCE).toFixed(2);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">',
    `<circle cx="8" cy="8" r="${RADIUS}" fill="none" stroke="${track}" stroke-opacity="0.3" stroke-width="2.5"/>`,
    // Starts at twelve o'clock and runs clockwise, like a clock or a pie chart.
    `<circle cx="8" cy="8" r="${RADIUS}" fill="none" stroke="${arc}" stroke-width="2.5" stroke-dasharray="${filled} ${CIRCUMFERENCE.toFixed(2)}" transform="rotate(-90 8 8)"/>`,
    '</svg>',
  ].join('');
}

const cache = new Map<string, { light: string; dark: string }>();

/** `data:` URIs of the ring for light and dark themes; the arc is red or yellow when the item has problems, as kind icons are. */
export function progressIcon(progress: number, problem: ProblemLevel | undefined): { light: string; dark: string } {
  const percent = progressPercentOf(progress);
  const key = `${percent}:${problem ?? 'none'}`;
  let icon = cache.get(key);
  if (!icon) {
    const arc = ARC_COLOURS[problem ?? 'none'];
    const uri = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
    icon = {
      light: uri(progressRingSvg(percent / 100, arc.light, TRACK_COLOURS.light)),
      dark: uri(progressRingSvg(percent / 100, arc.dark, TRACK_COLOURS.dark)),
    };
    cache.set(key, icon);
  }
  return icon;
}
