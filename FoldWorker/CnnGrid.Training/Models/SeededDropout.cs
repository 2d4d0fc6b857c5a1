using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>
/// Inverted dropout whose mask comes from the trial's own generator, so trials running side by side in one process
/// stay reproducible. Without a generator it is torch's standard dropout (global generator); in eval mode and at
/// p = 0 it passes its input through.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly Generator? generator;

    /// <param name="p">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="generator">Draws the masks; it must live on the device of the inputs.</param>
    public SeededDropout(double p, Generator? generator) : base(nameof(SeededDropout))
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout rate must be in [0, 1).");
        P = p;
        this.generator = generator;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    public override Tensor forward(Tensor input)
    {
        var p = P;
        if (!training || p == 0)
            return input.alias();
        if (generator is null)
            return nn.functional.dropout(input, p, training: true);
        // Kept elements are scaled by 1/(1-p) so the expected activation is the same in training and eval.
        using var mask = Keep(input, 1 - p).div_(1 - p);
        return input * mask;
    }

    /// <summary>
    /// 1 where an element is kept (probability <paramref name="q"/>), else 0, as <c>bernoulli_(q, generator)</c> draws it.
    /// Off Intel processors libtorch's CPU Bernoulli takes 64 bits of the generator per element and keeps the element
    /// when those bits as a double in [0, 1) are below q, one element at a time; <c>uniform_</c> on float64 takes the
    /// same bits the same way, so comparing its draws gives the identical mask and leaves the generator in the identical
    /// state, in about half the time (4.8 → 2.7 ms for a 64×32×14×14 mask on one thread; 30% of seed000-cnn's training
    /// time was its masks). On Intel processors libtorch draws Bernoulli masks with MKL instead, which this must not
    /// imitate, and CUDA has kernels of its own: both keep <c>bernoulli_</c>.
    /// </summary>
    private Tensor Keep(Tensor input, double q)
    {
        if (input.device_type != DeviceType.CPU || IntelProcessor.Value)
            return empty_like(input).bernoulli_(q, generator);
        using var draws = empty(input.shape, ScalarType.Float64, input.device).uniform_(0, 1, generator);
        using var kept = draws.lt(q);
        return kept.to(input.dtype);
    }

    // libtorch's own test (cpuinfo's vendor of processor 0), read the Linux way.
    private static readonly Lazy<bool> IntelProcessor = new(() =>
        File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(line => line.StartsWith("vendor_id", StringComparison.Ordinal))?.Contains("GenuineIntel", StringComparison.Ordinal) == true);
}
