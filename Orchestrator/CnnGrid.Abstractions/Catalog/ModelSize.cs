namespace CnnGrid.Abstractions.Catalog;

/// <summary>
/// A model's size for one input shape, counted from its <see cref="ILayerPlan"/> without building it (a test checks
/// both figures against the models TorchSharp builds).
/// </summary>
/// <param name="Parameters">Trainable values: weights and biases, the normalization layers' scales and shifts.</param>
/// <param name="ActivationsPerImage">Values every layer outputs for one image, the input included.</param>
public readonly record struct ModelSize(long Parameters, long ActivationsPerImage)
{
    /// <exception cref="ArgumentException">The model does not fit the input, or a setting is out of its range.</exception>
    public static ModelSize Of(ModelFacts model, ImageShape input, int classes, int? hidden = null, int? features = null, bool normalized = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var count = new LayerCount(input, classes, hidden, features, normalized);
        model.Layers(count);
        return new ModelSize(count.Parameters, count.Activations);
    }

    /// <summary>Counts what the trainer's layer stack would build, layer by layer, in the same order.</summary>
    private sealed class LayerCount(ImageShape input, int classes, int? hidden, int? features, bool normalized) : ILayerPlan
    {
        private ImageShape map = input;
        private int? vector;

        // What the last layer output when it was a ReLU; null after any other layer.
        private long? lastReLU;

        public ImageShape Input { get; } = input;
        public int? Hidden => hidden;
        public int? Features => features;
        public long Parameters { get; private set; }
        public long Activations { get; private set; } = input.Pixels;

        public ILayerPlan Conv(int channels, int kernel, int padding = 0, int stride = 1)
        {
            var output = map.Slide(kernel, padding, stride, "convolution") with { Channels = channels };
            Parameters += ((long)map.Channels * kernel * kernel + 1) * channels;
            return Output(output);
        }

        // The layer stack moves a max pool before the ReLU it follows (same values, a quarter of the ReLU's work), so
        // that ReLU outputs the pooled map.
        public ILayerPlan MaxPool(int kernel, int? stride = null, int padding = 0)
        {
            var afterReLU = lastReLU;
            Output(map.Slide(kernel, padding, stride ?? kernel, "max pooling"));
            if (afterReLU is not { } unpooled)
                return this;
            Activations -= unpooled;
            return ReLU();
        }

        public ILayerPlan AvgPool(int kernel) => Output(map.Slide(kernel, 0, kernel, "average pooling"));

        // Its leaves each output the block's map: two convs, two norms (identities without normalization) and the shortcut.
        public ILayerPlan Residual(int channels, int stride = 1)
        {
            var output = map.Slide(3, 1, stride, "residual block") with { Channels = channels };
            var norms = normalized ? 2 * 2L * channels : 0;
            var shortcut = map.Channels != channels || stride != 1 ? ((long)map.Channels + 1) * channels : 0;
            Parameters += ((long)map.Channels * 9 + 1) * channels + ((long)channels * 9 + 1) * channels + norms + shortcut;
            map = output;
            Add(5L * output.Pixels);
            return this;
        }

        // The adaptive pool's map, then the flatten's vector.
        public ILayerPlan GlobalAveragePool() => Output(map with { Height = 1, Width = 1 }).Flatten();

        public ILayerPlan Flatten()
        {
            vector = map.Pixels;
            return Output(map);
        }

        public ILayerPlan Dense(int outFeatures)
        {
            Parameters += ((long)vector!.Value + 1) * outFeatures;
            vector = outFeatures;
            Add(outFeatures);
            return this;
        }

        public ILayerPlan Classifier() => Dense(classes);

        public ILayerPlan Norm()
        {
            if (!normalized)
                return this;
            Parameters += 2L * (vector ?? map.Channels);
            return Same();
        }

        public ILayerPlan Dropout() => Same();

        public ILayerPlan ReLU()
        {
            Same();
            lastReLU = vector ?? map.Pixels;
            return this;
        }

        public ILayerPlan Sigmoid() => Same();

        private LayerCount Output(ImageShape output)
        {
            map = output;
            Add(output.Pixels);
            return this;
        }

        // A layer that keeps its input's shape.
        private LayerCount Same()
        {
            Add(vector ?? map.Pixels);
            return this;
        }

        private void Add(long values)
        {
            Activations += values;
            lastReLU = null;
        }
    }
}
