namespace CnnGrid.Orchestrator.Tests.Scheduling;

/// <summary>Waits for what the scheduler does on its timers (flushes, lease expiry).</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {seconds} s: {what}.");
            await Task.Delay(50);
        }
    }
}
