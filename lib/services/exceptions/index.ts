export { createException, exceptionInputSchema, type ExceptionInput } from "./create-exception";
export { extendException } from "./extend-exception";
export { listActiveExceptionRules } from "./list-active-exception-rules";
export { revokeException } from "./revoke-exception";
export { acceptFindingsRisk, applyExceptionNow, type AcceptRiskInput } from "./apply-exception-now";
export { applyExceptionChanges } from "./apply-exception-file";
export {
  EXCEPTION_FILE_API_VERSION,
  EXCEPTION_FILE_KIND,
  planExceptionFile,
  readExceptionFile,
  type DesiredException,
  type ExceptionChange,
} from "./exception-file";
