using CnnGrid.Abstractions.Views;
using CnnGrid.ApiClient;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Sweeps;

internal static class SpecSubmission
{
    /// <summary>Submits the spec, or fails naming the spec file and every problem the orchestrator found in it.</summary>
    /// <exception cref="StackException">The orchestrator refused the spec (400).</exception>
    public static async Task<SubmitResult> SubmitSpecAsync(
        this OrchestratorClient client, string specJson, string specName, CancellationToken cancellationToken)
    {
        var outcome = await client.SubmitAsync(specJson, cancellationToken);
        return outcome.Accepted ?? throw new StackException(
            $"{specName}: 400 Bad Request: the orchestrator refused the spec"
            + string.Concat(outcome.Problems.Select(problem => $"\n  {problem.Path}: {problem.Message}")));
    }
}
