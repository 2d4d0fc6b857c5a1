using System.Text.Json;
using CnnGrid.ApiClient;
using Microsoft.AspNetCore.Components;

namespace CnnGrid.Dashboard.Components;

/// <summary>
/// A page that shows orchestrator data and keeps it current: it loads whenever its parameters change and, once
/// interactive, reloads every <see cref="RefreshInterval"/> from the server circuit until it is disposed.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    /// <summary>An epoch the API has shows within one interval plus one request: inside the 2 s.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    readonly CancellationTokenSource closing = new();
    // One load at a time, in order: a poll still in flight for the previous parameters must not land after
    // the load for the new ones.
    readonly SemaphoreSlim loading = new(1, 1);

    [Inject]
    protected OrchestratorClient Orchestrator { get; set; } = default!;

    /// <summary>Why the last load failed (orchestrator unreachable, sweep not found…); null after one succeeds.</summary>
    protected string? LoadError { get; private set; }

    /// <summary>Fetches what the page shows and keeps it in fields.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellation);

    /// <summary>False once what the page shows can no longer change (a settled sweep): polls then skip it.</summary>
    protected virtual bool KeepsChanging => true;

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Closing => closing.Token;

    protected override Task OnParametersSetAsync() => ReloadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive render gets here: prerendering loads once and never polls.
        if (firstRender)
            _ = PollAsync();
    }

    protected async Task ReloadAsync()
    {
        await loading.WaitAsync(closing.Token);
        try
        {
            await LoadAsync(closing.Token);
            LoadError = null;
        }
        catch (Exception failure) when (IsOrchestratorFailure(failure) && !closing.IsCancellationRequested)
        {
            LoadError = failure.Message;
        }
        finally
        {
            loading.Release();
        }
    }

    async Task PollAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(closing.Token))
                if (KeepsChanging)
                    await InvokeAsync(async () =>
                    {
                        await ReloadAsync();
                        StateHasChanged();
                    });
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
        }
        catch (Exception failure)
        {
            // Nobody awaits this loop: hand anything unexpected to the circuit rather than lose it.
            await DispatchExceptionAsync(failure);
        }
    }

    static bool IsOrchestratorFailure(Exception failure) =>
        failure is HttpRequestException or OrchestratorException or TaskCanceledException or JsonException;

    public void Dispose()
    {
        closing.Cancel();
        GC.SuppressFinalize(this);
    }
}
