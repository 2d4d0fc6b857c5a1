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
    private readonly double p;
    private readonly Generator? generator;

    /// <param name="p">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="generator">Draws the masks; it must live on the device of the inputs.</param>
    public SeededDropout(double p, Generator? generator) : base(nameof(SeededDropout))
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout rate must be in [0, 1).");
        this.p = p;
        this.generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || p == 0)
            return input.alias();
        if (generator is null)
            return nn.functional.dropout(input, p, training: true);
        // Kept elements are scaled by 1/(1-p) so the expected activation is the same in training and eval.
        using var mask = empty_like(input).bernoulli_(1 - p, generator).div_(1 - p);
        return input * mask;
    }
}
