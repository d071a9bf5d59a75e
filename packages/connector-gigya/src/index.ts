// The Gigya connector's public surface (filled in by issue #7).
export {};
