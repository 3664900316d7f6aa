import { describe, expect, it } from 'vitest';
import { contrast, over, parseColour, WHITE } from '../../../lib/autofill/colour';

describe('colours as a person sees them', () => {
  it('reads computed colours, and nothing it cannot be sure of', () => {
    expect(parseColour('rgb(255, 0, 10)')).toEqual({ r: 255, g: 0, b: 10, a: 1 });
    expect(parseColour('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColour('rgb(10 20 30 / 50%)')).toEqual({ r: 10, g: 20, b: 30, a: 0.5 });
    expect(parseColour('transparent')?.a).toBe(0);
    expect(parseColour('oklch(0.5 0.1 20)')).toBeUndefined();
    expect(parseColour('color(display-p3 1 1 1)')).toBeUndefined();
  });

  it('computes WCAG contrast: 21:1 black on white, 1:1 for the same colour, near-white text fails 3:1', () => {
    const black = parseColour('rgb(0, 0, 0)')!;
    expect(contrast(black, WHITE)).toBeCloseTo(21, 5);
    expect(contrast(WHITE, WHITE)).toBe(1);
    expect(contrast(parseColour('rgb(250, 250, 250)')!, WHITE)).toBeLessThan(1.1);
    // #767676 on white is WCAG's well-known 4.54:1.
    expect(contrast(parseColour('rgb(118, 118, 118)')!, WHITE)).toBeCloseTo(4.54, 2);
  });

  it('composites transparency: transparent text over a field shows the field', () => {
    const transparent = parseColour('rgba(0, 0, 0, 0)')!;
    expect(over(transparent, WHITE)).toEqual(WHITE);
    const half = over(parseColour('rgba(0, 0, 0, 0.5)')!, WHITE);
    expect(half.r).toBeCloseTo(127.5, 5);
    expect(half.a).toBe(1);
  });
});
