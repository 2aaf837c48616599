// Compatibility levels: Confluent's seven, and AWS Glue's eight names mapped onto them. Glue's
// DISABLED has no Confluent twin: it refuses every new version, so it stays a level of its own.

export const CompatibilityLevel = {
  NONE: 'NONE',
  BACKWARD: 'BACKWARD',
  BACKWARD_TRANSITIVE: 'BACKWARD_TRANSITIVE',
  FORWARD: 'FORWARD',
  FORWARD_TRANSITIVE: 'FORWARD_TRANSITIVE',
  FULL: 'FULL',
  FULL_TRANSITIVE: 'FULL_TRANSITIVE',
} as const;

export type CompatibilityLevel = (typeof CompatibilityLevel)[keyof typeof CompatibilityLevel];

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = Object.values(CompatibilityLevel);

/** Confluent's default for a registry with no config. */
export const DEFAULT_COMPATIBILITY_LEVEL: CompatibilityLevel = CompatibilityLevel.BACKWARD;

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

export const GlueCompatibility = {
  NONE: 'NONE',
  DISABLED: 'DISABLED',
  BACKWARD: 'BACKWARD',
  BACKWARD_ALL: 'BACKWARD_ALL',
  FORWARD: 'FORWARD',
  FORWARD_ALL: 'FORWARD_ALL',
  FULL: 'FULL',
  FULL_ALL: 'FULL_ALL',
} as const;

export type GlueCompatibility = (typeof GlueCompatibility)[keyof typeof GlueCompatibility];

export const GLUE_COMPATIBILITIES: readonly GlueCompatibility[] = Object.values(GlueCompatibility);

export function isGlueCompatibility(value: unknown): value is GlueCompatibility {
  return typeof value === 'string' && (GLUE_COMPATIBILITIES as readonly string[]).includes(value);
}

const GLUE_TO_CONFLUENT: Readonly<Record<Exclude<GlueCompatibility, 'DISABLED'>, CompatibilityLevel>> = {
  NONE: CompatibilityLevel.NONE,
  BACKWARD: CompatibilityLevel.BACKWARD,
  BACKWARD_ALL: CompatibilityLevel.BACKWARD_TRANSITIVE,
  FORWARD: CompatibilityLevel.FORWARD,
  FORWARD_ALL: CompatibilityLevel.FORWARD_TRANSITIVE,
  FULL: CompatibilityLevel.FULL,
  FULL_ALL: CompatibilityLevel.FULL_TRANSITIVE,
};

/** The Confluent level that checks what the Glue mode checks; DISABLED stays DISABLED. */
export function glueToConfluent(mode: GlueCompatibility): CompatibilityLevel | 'DISABLED' {
  return mode === GlueCompatibility.DISABLED ? 'DISABLED' : GLUE_TO_CONFLUENT[mode];
}

/** The Glue name of a Confluent level (every Confluent level has one). */
export function confluentToGlue(level: CompatibilityLevel): GlueCompatibility {
  const entry = Object.entries(GLUE_TO_CONFLUENT).find(([, l]) => l === level);
  return entry![0] as GlueCompatibility;
}
