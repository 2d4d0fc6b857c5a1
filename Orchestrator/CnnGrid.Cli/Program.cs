using System.CommandLine;
using CnnGrid.Cli;

// Ctrl+C and SIGTERM cancel the command; it gets up to 30 s to end (default 2 s) because `worker` waits for its
// FoldWorker's graceful shutdown, and kills it after 20 s (it can hang while the stack's database is unreachable).
return CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
