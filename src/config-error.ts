// The one error a misconfigured deployment raises at start-up (readConfig and its parts).
export class ConfigError extends Error {}
