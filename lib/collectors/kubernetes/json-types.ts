// The fields of API objects the collector reads, as the API server sends them (JSON, not client-node models).

export interface OwnerReferenceJson {
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectJson {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReferenceJson[];
    managedFields?: unknown;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

interface ContainerStatusJson {
  name: string;
  imageID?: string;
}

export interface PodJson extends ObjectJson {
  status?: {
    initContainerStatuses?: ContainerStatusJson[];
    containerStatuses?: ContainerStatusJson[];
    ephemeralContainerStatuses?: ContainerStatusJson[];
  };
}

export interface ServiceAccountJson extends ObjectJson {
  automountServiceAccountToken?: boolean;
}
