// `npm run bench -- kubernetes`: the cluster collector against a simulated cluster.
export { run } from "@/lib/collectors/kubernetes/benchmark";
