/** The part of madge's API the import-cycle test uses (the package ships no types). */
declare module 'madge' {
  namespace madge {
    interface MadgeConfig {
      baseDir?: string;
      tsConfig?: string;
      fileExtensions?: string[];
      excludeRegExp?: string[];
      detectiveOptions?: Record<string, unknown>;
    }
    interface MadgeResult {
      circular(): string[][];
    }
  }
  function madge(paths: string | string[], config?: madge.MadgeConfig): Promise<madge.MadgeResult>;
  export = madge;
}
