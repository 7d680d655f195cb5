/**
 * The preset layouts (layout-presets.ts): select-layout [-nop] [-t target-window] [layout-name],
 * and next-layout / previous-layout [-t target-window], which step through the presets from the
 * one the window had last. A name may be an unambiguous prefix (`main-h`); select-layout with no
 * name applies the last preset again. Layout strings (the custom form) are not taken.
 */
import type { CommandSpec } from './command-spec.js';
import type { HostWindow } from '../host-window.js';
import { PRESET_NAMES, lookupPreset } from '../layout-presets.js';

const COUNT = PRESET_NAMES.length;

function step(window: HostWindow, forward: boolean): null {
  const last = window.lastPreset;
  const next = forward ? (last === -1 || last >= COUNT - 1 ? 0 : last + 1) : last <= 0 ? COUNT - 1 : last - 1;
  window.applyPreset(next);
  return null;
}

export const selectLayout: CommandSpec = {
  name: 'select-layout',
  alias: 'selectl',
  flags: 'nopt:',
  minArgs: 0,
  maxArgs: 1,
  target: 'window',
  argsUsage: '[layout-name]',
  run(_ctx, { flags, args, target }) {
    const window = target.window;
    if (flags.has('n')) return step(window, true);
    if (flags.has('p')) return step(window, false);
    if (flags.has('o')) return 'no last layout';
    const name = args[0];
    const preset = name === undefined ? window.lastPreset : lookupPreset(name);
    if (preset === -1) return name === undefined ? null : `can't set layout: ${name}`;
    window.applyPreset(preset);
    return null;
  },
};

export const nextLayout: CommandSpec = {
  name: 'next-layout',
  alias: 'nextl',
  flags: 't:',
  minArgs: 0,
  maxArgs: 0,
  target: 'window',
  run: (_ctx, { target }) => step(target.window, true),
};

export const previousLayout: CommandSpec = {
  name: 'previous-layout',
  alias: 'prevl',
  flags: 't:',
  minArgs: 0,
  maxArgs: 0,
  target: 'window',
  run: (_ctx, { target }) => step(target.window, false),
};
