import { describe, expect, it } from 'vitest';
import { DtmfCollector, type DtmfAction } from '../../src/speech/audiosocket/dtmf.ts';

function collector() {
  const actions: DtmfAction[] = [];
  const timers = new Map<number, () => void>();
  let next = 1;
  const dtmf = new DtmfCollector({
    terminator: '#',
    interDigitTimeoutMs: 4000,
    languageKeys: { '1': 'en', '2': 'zh' },
    onAction: (a) => actions.push(a),
    setTimer: (fn) => {
      timers.set(next, fn);
      return next++;
    },
    clearTimer: (h) => timers.delete(h as number),
  });
  const elapse = () => {
    const pending = [...timers.values()];
    timers.clear();
    for (const fn of pending) fn();
  };
  return { dtmf, actions, elapse, timers };
}

describe('DTMF input', () => {
  it.each([
    ['digits then the terminator', '1234#', [{ type: 'submit', digits: '1234' }]],
    ['a lone terminator', '#', []],
    ['two entries', '12#9#', [{ type: 'submit', digits: '12' }, { type: 'submit', digits: '9' }]],
    ['star then a language key', '*2', [{ type: 'switch_language', language: 'zh' }]],
    ['star then an unmapped key', '*7', []],
    ['a star inside digits', '12*3#', [{ type: 'submit', digits: '12*3' }]],
  ])('%s', (_name, keys, expected) => {
    const { dtmf, actions } = collector();
    for (const k of keys) dtmf.push(k);
    expect(actions).toEqual(expected);
  });

  it('submits digits typed without a terminator after the inter-digit pause', () => {
    const { dtmf, actions, elapse } = collector();
    dtmf.push('4');
    dtmf.push('2');
    expect(actions).toEqual([]);
    elapse();
    expect(actions).toEqual([{ type: 'submit', digits: '42' }]);
  });

  it('clears pending digits (the call ended)', () => {
    const { dtmf, actions, timers } = collector();
    dtmf.push('4');
    dtmf.clear();
    expect(timers.size).toBe(0);
    dtmf.push('#');
    expect(actions).toEqual([]);
  });
});
