/**
 * The config schema language: `Field`s with a parser, a default and a doc line, grouped into
 * `section`s and parsed with `parseFields`, plus every field kind the config sections use.
 */
export * from "./field";
export * from "./scalars";
export * from "./collections";
export * from "./aws";
