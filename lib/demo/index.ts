export { DEFAULT_DEMO, loadDemoFleet, removeDemoData, type DemoOptions, type DemoResult } from "./load-demo";
export { DEMO_PREFIX } from "./demo-targets";
