// Grouping of the training-fit check (scripts/speech-model/train-fit.ts).
import { describe, expect, it } from 'vitest';
import { fitGroup, isRobotRhythm } from '../../scripts/speech-model/train-fit.ts';

const ROBOT = 'language variant\nname Robosoft4\nstressLength 0 1 2 3 4 5 6 7\nstressAdd 130 140 140 100 0 0 130 160\n';
const STRESSED = 'language variant\nname f1\nstressAdd -10 -10 -20 -20 0 0 40 60\n';
const LONG = 'language variant\nname slow\nstressLength 182 140 220 220 0 0 248 275\n';

describe('training-fit groups', () => {
  it('recognizes the robot rhythm by near-zero stress lengths only', () => {
    expect(isRobotRhythm(ROBOT)).toBe(true);
    expect(isRobotRhythm(STRESSED)).toBe(false);
    expect(isRobotRhythm(LONG)).toBe(false);
    expect(isRobotRhythm('')).toBe(false);
  });

  it('groups voice labels into Flite, generated, robot-rhythm and other shipped variants', () => {
    const files: Record<string, string> = { robosoft4: ROBOT, f1: STRESSED };
    const text = (v: string): string => files[v] ?? '';
    expect(fitGroup('cmn-latn-pinyin+sbgen17 s220 p45 g0', text)).toBe('generated');
    expect(fitGroup('en-us+robosoft4 s250 p15 g1', text)).toBe('robot rhythm');
    expect(fitGroup('en-us+f1 s140 p85 g0', text)).toBe('shipped');
    expect(fitGroup('flite-kal16 x1.1', text)).toBe('flite');
  });
});
