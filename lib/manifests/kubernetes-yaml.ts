import type { ParseOptions, DocumentOptions, SchemaOptions } from "yaml";

// kubectl reads YAML the way go-yaml v2 does (YAML 1.1 booleans, `<<` merge keys), so
// `hostNetwork: yes` means true to Kubernetes and must mean true here too.

const YAML_11_TRUE = /^(?:Y|y|[Yy]es|YES|[Oo]n|ON)$/;
const YAML_11_FALSE = /^(?:N|n|[Nn]o|NO|[Oo]ff|OFF)$/;

const yaml11Booleans = [
  {
    identify: (v: unknown) => v === true,
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test: YAML_11_TRUE,
    resolve: () => true,
  },
  {
    identify: (v: unknown) => v === false,
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test: YAML_11_FALSE,
    resolve: () => false,
  },
];

export const KUBERNETES_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  merge: true,
  customTags: (tags) => [...tags, ...yaml11Booleans],
};
