// Preloaded (node --import) into the web server child of `rampart serve`/`rampart web`. The parent holds the
// other end of this process's stdin pipe; when the parent dies, even by SIGKILL, the pipe ends and so do we,
// freeing the port for the next start.
const exit = () => process.exit(1);
process.stdin.on("end", exit);
process.stdin.on("close", exit);
process.stdin.on("error", exit);
process.stdin.resume();
