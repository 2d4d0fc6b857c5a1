namespace CnnGrid.Stack;

/// <summary>One process <c>up</c> started: what it runs, where it logs and which ports it took.</summary>
/// <param name="Dll">The host assembly run with <c>dotnet</c>; also how <c>down</c> recognises the pid as ours.</param>
/// <param name="Url">Its HTTP endpoint.</param>
public sealed record HostProcess(int Pid, string Dll, string Log, string Url, int SiloPort);
