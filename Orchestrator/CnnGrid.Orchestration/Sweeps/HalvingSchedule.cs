namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Successive halving's rungs: every configuration trains <see cref="MinEpochs"/>, then at each rung at most 1/<see cref="Eta"/>
/// of those that reached it go on to <see cref="Eta"/> times as many epochs, until <see cref="MaxEpochs"/>.
/// </summary>
public sealed record HalvingSchedule(int Eta = HalvingSchedule.DefaultEta, int MinEpochs = HalvingSchedule.DefaultMinEpochs, int MaxEpochs = HalvingSchedule.DefaultMaxEpochs)
{
    public const int DefaultEta = 3;
    public const int DefaultMinEpochs = 1;
    public const int DefaultMaxEpochs = 9;

    /// <summary>Below 2 a rung would keep every configuration: no halving.</summary>
    public const int MinEta = 2;

    /// <summary>Beyond this, a rung keeps at most one configuration in 100: as good as stopping all but the best.</summary>
    public const int MaxEta = 100;

    /// <summary>
    /// The epoch each rung ends at, first to last: <see cref="MinEpochs"/> · <see cref="Eta"/>^k below <see cref="MaxEpochs"/>,
    /// then <see cref="MaxEpochs"/> itself.
    /// </summary>
    public IReadOnlyList<int> RungEpochs
    {
        get
        {
            var rungs = new List<int>();
            for (long epochs = MinEpochs; epochs < MaxEpochs; epochs *= Eta)
                rungs.Add((int)epochs);
            rungs.Add(MaxEpochs);
            return rungs;
        }
    }

    /// <summary>The rung a trial pausing after <paramref name="pauseAfterEpoch"/> trains to; the last when it does not pause.</summary>
    public int RungOf(int? pauseAfterEpoch)
    {
        var rungs = RungEpochs;
        for (var rung = 0; rung < rungs.Count - 1; rung++)
        {
            if (rungs[rung] == pauseAfterEpoch)
                return rung;
        }
        return rungs.Count - 1;
    }

    /// <summary>The epoch a trial at <paramref name="rung"/> pauses after, or null at the last rung (it trains to the end).</summary>
    public int? PauseAfterEpoch(int rung) => rung < RungEpochs.Count - 1 ? RungEpochs[rung] : null;
}
