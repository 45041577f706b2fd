// A Dockerfile as Rampart reads it (lib/manifests/dockerfile.ts parses, the dockerfile platform's checks judge).

/** One instruction with the 1-based lines it spans. */
export interface DockerfileInstruction {
  /** Upper case: `FROM`, `RUN`, `USER`, … */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space, heredoc bodies left out. */
  args: string;
  line: number;
  endLine: number;
  heredocs: { name: string; body: string }[];
}

export interface DockerfileStage {
  index: number;
  /** The FROM reference as written, build arguments substituted where their defaults are known. */
  image: string;
  /** `AS name`, lower-cased as BuildKit compares it. */
  alias?: string;
  /** Index of an earlier stage this one builds on (`FROM builder`), when it does. */
  baseStage?: number;
  /** Index of the FROM instruction in `instructions`. */
  fromIndex: number;
  /** Indexes of the stage's instructions in `instructions`, FROM excluded. */
  body: number[];
}

export interface ParsedDockerfile {
  instructions: DockerfileInstruction[];
  stages: DockerfileStage[];
  /** Indexes of `ARG` instructions before the first FROM (usable in FROM lines). */
  globalArgs: number[];
  escape: "\\" | "`";
}
