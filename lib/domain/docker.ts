// The parts of Docker Engine API objects that Rampart reads (`docker inspect` field names).
// Docker returns null, not [], for unset lists: the types say so.

export interface DockerContainer {
  Id: string;
  Name: string;
  Image: string;
  Config: {
    User?: string | null;
    Image?: string | null;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string | null;
  };
  HostConfig: {
    Privileged?: boolean | null;
    ReadonlyRootfs?: boolean | null;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    NetworkMode?: string | null;
    PidMode?: string | null;
    IpcMode?: string | null;
    UTSMode?: string | null;
    UsernsMode?: string | null;
    Memory?: number | null;
    NanoCpus?: number | null;
    CpuQuota?: number | null;
    PidsLimit?: number | null;
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    Binds?: string[] | null;
    Tmpfs?: Record<string, string> | null;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
    CpuPeriod?: number | null;
    /** `[]` is how the daemon records `--security-opt systempaths=unconfined`. */
    MaskedPaths?: string[] | null;
  };
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string; RW?: boolean }[] | null;
  AppArmorProfile?: string | null;
  NetworkSettings?: {
    Networks?: Record<string, { NetworkID?: string }> | null;
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  } | null;
  State?: { Status?: string; Running?: boolean } | null;
}

export interface DockerImage {
  Id: string;
  RepoDigests?: string[] | null;
  Config?: { Env?: string[] | null; User?: string | null; Labels?: Record<string, string> | null } | null;
}

export interface DockerHistoryEntry {
  Id?: string;
  CreatedBy?: string;
}

export interface DockerInfo {
  SecurityOptions?: string[] | null;
  Name?: string;
  ServerVersion?: string;
}

export interface DockerNetwork {
  Name: string;
  Id: string;
  Driver?: string;
  Options?: Record<string, string> | null;
}
