using System.Globalization;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Views;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>Rung decisions on crafted fold results: which paused configurations go on and which stop.</summary>
public sealed class SuccessiveHalvingTests
{
    private static readonly HalvingSchedule Schedule = new(Eta: 3, MinEpochs: 1, MaxEpochs: 9);
    private const int Folds = 5;

    // Fold-to-fold spread, shifted by one fold per configuration, that the corrected test cannot tell apart from a few
    // points' difference between configurations.
    private static readonly double[] Noise = [0.03, -0.04, 0.05, -0.02, -0.02];

    [Fact]
    public void The_rungs_grow_by_eta_up_to_max_epochs()
    {
        Assert.Equal([1, 3, 9], Schedule.RungEpochs);
        Assert.Equal([2, 6, 10], new HalvingSchedule(3, 2, 10).RungEpochs);
        Assert.Equal([4], new HalvingSchedule(3, 4, 4).RungEpochs);
        Assert.Equal(1, Schedule.PauseAfterEpoch(0));
        Assert.Equal(3, Schedule.PauseAfterEpoch(1));
        Assert.Null(Schedule.PauseAfterEpoch(2));
        Assert.Equal(1, Schedule.RungOf(3));
        Assert.Equal(2, Schedule.RungOf(null));
    }

    [Fact]
    public void A_closed_rung_promotes_its_best_third_and_stops_the_rest()
    {
        // Nine configurations half a point apart, with fold noise: none worse than the best by the test, all at rung 0.
        var trials = Enumerable.Range(0, 9).SelectMany(config => Paused($"c{config}", rung: 0, 0.80 - 0.005 * config)).ToList();

        var moves = SuccessiveHalving.Decide(Schedule, trials);

        Assert.Equal(["c0", "c1", "c2"], moves.Where(move => move.Promoted).Select(move => move.ConfigId).Order());
        var stopped = moves.Where(move => !move.Promoted).ToList();
        Assert.Equal(6, stopped.Count);
        Assert.All(stopped, move => Assert.Contains("not among rung 0's best 3 of 9", move.Reason));
        Assert.All(moves, move => Assert.Equal(Folds, move.TrialIds.Count));
        Assert.All(moves, move => Assert.Equal(0, move.Rung));
    }

    [Fact]
    public void An_open_rung_promotes_only_as_many_as_its_arrivals_allow_and_keeps_the_others_waiting()
    {
        // Three of nine have reached rung 0; the other six still train it: one may go on, the other two wait.
        var trials = new List<RungTrial>();
        for (var config = 0; config < 3; config++)
            trials.AddRange(Paused($"c{config}", rung: 0, 0.80 - 0.01 * config));
        for (var config = 3; config < 9; config++)
            trials.AddRange(Training($"c{config}", rung: 0));

        var moves = SuccessiveHalving.Decide(Schedule, trials);

        var move = Assert.Single(moves);
        Assert.Equal(("c0", true), (move.ConfigId, move.Promoted));
    }

    [Fact]
    public void Promotions_already_made_count_against_the_quota()
    {
        // c0 went on when three had arrived; now five have: still ⌊5/3⌋ = 1, so c1 waits though it is second.
        var trials = new List<RungTrial>(Training("c0", rung: 1, 0.82));
        for (var config = 1; config < 5; config++)
            trials.AddRange(Paused($"c{config}", rung: 0, 0.80 - 0.01 * config));
        for (var config = 5; config < 9; config++)
            trials.AddRange(Training($"c{config}", rung: 0));

        Assert.Empty(SuccessiveHalving.Decide(Schedule, trials));

        // With a sixth, ⌊6/3⌋ = 2: the best still waiting goes on.
        trials.RemoveAll(trial => trial.ConfigId == "c5");
        trials.AddRange(Paused("c5", rung: 0, 0.78));
        var move = Assert.Single(SuccessiveHalving.Decide(Schedule, trials));
        Assert.Equal(("c1", true), (move.ConfigId, move.Promoted));
    }

    [Fact]
    public void No_more_than_a_third_go_on_even_when_a_better_one_arrives_after_a_promotion()
    {
        // c0 went on first; c1 arrived better, but ⌊3/3⌋ = 1 have gone on already: c1 waits for more arrivals.
        var trials = new List<RungTrial>(Training("c0", rung: 1, 0.785));
        trials.AddRange(Paused("c1", rung: 0, 0.80));
        trials.AddRange(Paused("c2", rung: 0, 0.79));
        for (var config = 3; config < 9; config++)
            trials.AddRange(Training($"c{config}", rung: 0));

        Assert.Empty(SuccessiveHalving.Decide(Schedule, trials));
    }

    [Fact]
    public void A_configuration_the_paired_test_finds_worse_than_the_best_stops_at_once()
    {
        // c1 is 10 points below c0 on every fold (the paired differences barely vary): worse, even with the rung open.
        var trials = new List<RungTrial>(Paused("c0", rung: 0, 0.80));
        trials.AddRange(Paused("c1", rung: 0, 0.70, noise: [0.03, -0.039, 0.051, -0.021, -0.02]));
        for (var config = 2; config < 9; config++)
            trials.AddRange(Training($"c{config}", rung: 0));

        var moves = SuccessiveHalving.Decide(Schedule, trials);

        var stopped = Assert.Single(moves, move => !move.Promoted);
        Assert.Equal("c1", stopped.ConfigId);
        Assert.Contains("worse than rung 0's best", stopped.Reason);
        Assert.DoesNotContain(moves, move => move.ConfigId == "c0" && move.Promoted); // ⌊2/3⌋ = 0 while the rung is open
    }

    [Fact]
    public void Configurations_stopped_at_an_earlier_rung_do_not_count_at_a_later_one()
    {
        // Rung 1 holds three (c0 to c2, the six others stopped at rung 0): ⌊3/3⌋ = 1 goes on, not ⌊9/3⌋ = 3.
        var trials = new List<RungTrial>();
        for (var config = 0; config < 3; config++)
            trials.AddRange(Paused($"c{config}", rung: 1, 0.80 - 0.005 * config));
        for (var config = 3; config < 9; config++)
            trials.AddRange(Stopped($"c{config}", rung: 0, 0.78));

        var moves = SuccessiveHalving.Decide(Schedule, trials);

        Assert.Equal(["c0"], moves.Where(move => move.Promoted).Select(move => move.ConfigId));
        Assert.Equal(["c1", "c2"], moves.Where(move => !move.Promoted).Select(move => move.ConfigId).Order());
    }

    [Fact]
    public void The_last_configuration_of_a_closed_rung_goes_on_even_below_eta()
    {
        var trials = new List<RungTrial>(Paused("c0", rung: 1, 0.80));
        trials.AddRange(Stopped("c1", rung: 0, 0.60));
        trials.AddRange(Stopped("c2", rung: 0, 0.60));

        var move = Assert.Single(SuccessiveHalving.Decide(Schedule, trials));

        Assert.Equal(("c0", true, 1), (move.ConfigId, move.Promoted, move.Rung));
    }

    [Fact]
    public void A_rung_compares_the_best_accuracy_up_to_its_epoch_not_later_ones()
    {
        // At rung 0 (epoch 1) c1 was the better; c0 overtook it later, at epochs c1 has not trained. c1's rung-0 result
        // must count as of epoch 1 for both, and c0 was promoted on its rung-0 result.
        var trials = new List<RungTrial>();
        trials.AddRange(Trials("c0", TrialState.Paused, pauseAfter: 3, epochs => [0.70, 0.90, 0.95], NoiseOf("c0")));
        trials.AddRange(Trials("c1", TrialState.Paused, pauseAfter: 1, epochs => [0.80], NoiseOf("c1")));
        trials.AddRange(Trials("c2", TrialState.Paused, pauseAfter: 1, epochs => [0.79], NoiseOf("c2")));

        var moves = SuccessiveHalving.Decide(Schedule, trials);

        // Rung 0 (c0 0.70, c1 0.80, c2 0.79 at epoch 1) is closed with c0 already promoted: quota 1 is used, so c1 and c2 stop.
        Assert.Equal(["c1", "c2"], moves.Where(move => !move.Promoted && move.Rung == 0).Select(move => move.ConfigId).Order());
        // Rung 1 holds c0 alone, closed: it goes on to the last rung.
        Assert.Contains(moves, move => move is { ConfigId: "c0", Promoted: true, Rung: 1 });
    }

    [Fact]
    public void A_configuration_with_a_failed_trial_stops_and_is_not_compared()
    {
        var trials = new List<RungTrial>(Paused("c0", rung: 0, 0.80).Skip(1));
        trials.Add(Trial("c0", 0, TrialState.Failed, pauseAfter: 1, []));
        trials.AddRange(Paused("c1", rung: 0, 0.70));

        var moves = SuccessiveHalving.Decide(Schedule, trials);

        Assert.Contains(moves, move => move is { ConfigId: "c0", Promoted: false } && move.Reason!.Contains("did not complete") && move.TrialIds.Count == Folds - 1);
        Assert.Contains(moves, move => move is { ConfigId: "c1", Promoted: true });
    }

    private static IEnumerable<RungTrial> Paused(string config, int rung, double accuracy, double[]? noise = null) =>
        Trials(config, TrialState.Paused, Schedule.PauseAfterEpoch(rung), epochs => Curve(accuracy, Schedule.RungEpochs[rung]), noise ?? NoiseOf(config));

    private static IEnumerable<RungTrial> Training(string config, int rung, double accuracy = 0.8) =>
        Trials(config, TrialState.Running, Schedule.PauseAfterEpoch(rung), epochs => rung == 0 ? [] : Curve(accuracy, Schedule.RungEpochs[rung - 1]), NoiseOf(config));

    private static IEnumerable<RungTrial> Stopped(string config, int rung, double accuracy) =>
        Trials(config, TrialState.Completed, Schedule.PauseAfterEpoch(rung), epochs => Curve(accuracy, Schedule.RungEpochs[rung]), NoiseOf(config))
            .Select(trial => trial with { StoppedAtRung = rung });

    private static double[] NoiseOf(string config)
    {
        var index = int.Parse(config[1..], CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, Folds).Select(fold => Noise[(fold + index) % Folds] * (1 + index / 10.0))];
    }

    private static double[] Curve(double last, int epochs) => [.. Enumerable.Range(1, epochs).Select(epoch => last - 0.01 * (epochs - epoch))];

    private static IEnumerable<RungTrial> Trials(string config, TrialState state, int? pauseAfter, Func<int, double[]> accuracies, double[] noise) =>
        Enumerable.Range(0, Folds).Select(fold => Trial(config, fold, state, pauseAfter, [.. accuracies(fold).Select(accuracy => accuracy + noise[fold])]));

    private static RungTrial Trial(string config, int fold, TrialState state, int? pauseAfter, double[] accuracies) =>
        new($"{config}-{fold}", config, Seed: 42, fold, state, StoppedAtRung: null, Refit: false, BestEpoch: accuracies.Length,
            new TrialSpec { Epochs = Schedule.MaxEpochs, Fold = fold, PauseAfterEpoch = pauseAfter }, accuracies);
}
