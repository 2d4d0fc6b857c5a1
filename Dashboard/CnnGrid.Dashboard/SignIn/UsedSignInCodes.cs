namespace CnnGrid.Dashboard.SignIn;

/// <summary>The sign-in links already taken, remembered until they expire: each link signs in one browser once.</summary>
public sealed class UsedSignInCodes(TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> used = [];

    /// <summary>True the first time <paramref name="nonce"/> is taken; false after.</summary>
    public bool TryTake(string nonce, DateTimeOffset expires)
    {
        var now = time.GetUtcNow();
        lock (used)
        {
            foreach (var gone in used.Where(entry => entry.Value <= now).Select(entry => entry.Key).ToList())
                used.Remove(gone);
            return used.TryAdd(nonce, expires);
        }
    }
}
