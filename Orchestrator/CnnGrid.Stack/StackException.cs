namespace CnnGrid.Stack;

/// <summary>The local stack is not in the state a command needs (not up, a process failed to start, the API refused a call).</summary>
public sealed class StackException(string message, Exception? inner = null) : Exception(message, inner);
