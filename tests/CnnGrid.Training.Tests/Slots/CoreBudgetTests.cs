using CnnGrid.Training.Slots;

namespace CnnGrid.Training.Tests.Slots;

public sealed class CoreBudgetTests
{
    [Theory]
    [InlineData(2, null, 2, 1)] // auto: one single-threaded trial per core
    [InlineData(2, 1, 1, 2)] // one trial gets every core
    [InlineData(8, 2, 2, 4)]
    [InlineData(7, 2, 2, 3)] // a core left over rather than one slot with more threads than the other
    public void The_cpu_s_cores_are_shared_evenly_by_its_slots(int cores, int? slots, int expectedSlots, int expectedThreads)
    {
        var plan = CoreBudget.Plan(cores, ["cpu"], slots);

        var cpu = Assert.Single(plan.Devices);
        Assert.Equal(new DeviceSlotPlan("cpu", expectedSlots, expectedThreads, MemoryBounded: false), cpu);
        Assert.InRange(plan.BusyThreads, 1, cores);
        Assert.Null(plan.Oversubscription);
    }

    [Fact]
    public void More_slots_than_cores_get_one_thread_each_and_a_warning_that_names_the_count()
    {
        var plan = CoreBudget.Plan(1, ["cpu"], 3);

        Assert.Equal(new DeviceSlotPlan("cpu", 3, 1, false), Assert.Single(plan.Devices));
        Assert.Equal(3, plan.BusyThreads);
        Assert.Contains("3 training threads", plan.Oversubscription);
        Assert.Contains("on 1 core(s)", plan.Oversubscription);
    }

    [Fact]
    public void Auto_gpu_slots_are_memory_bounded_with_one_cpu_thread_each_and_never_more_than_the_cores()
    {
        var plan = CoreBudget.Plan(16, ["cuda:0", "cuda:1"], null);

        Assert.Equal(
            [new DeviceSlotPlan("cuda:0", CoreBudget.MaxAutoGpuSlots, 1, true), new DeviceSlotPlan("cuda:1", CoreBudget.MaxAutoGpuSlots, 1, true)],
            plan.Devices);
        Assert.Null(plan.Oversubscription);
        Assert.All(CoreBudget.Plan(4, ["cuda:0", "cuda:1"], null).Devices, gpu => Assert.Equal(2, gpu.Slots));
    }

    [Fact]
    public void The_cpu_device_beside_gpus_gets_the_cores_their_slots_leave()
    {
        var plan = CoreBudget.Plan(16, ["cpu", "cuda:0"], 2);

        Assert.Equal([new DeviceSlotPlan("cpu", 2, 7, false), new DeviceSlotPlan("cuda:0", 2, 1, false)], plan.Devices);
        Assert.Equal(16, plan.BusyThreads);
    }

    [Fact]
    public void Gpu_slots_that_leave_no_core_for_the_cpu_device_are_refused_naming_the_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => CoreBudget.Plan(4, ["cpu", "cuda:0", "cuda:1"], 2));

        Assert.Contains("2 GPU(s) × 2 slot(s)", error.Message);
        Assert.Contains("4 core(s)", error.Message);
    }

    [Theory]
    [InlineData(0, new[] { "cpu" }, 1)]
    [InlineData(2, new string[0], 1)]
    [InlineData(2, new[] { "cpu" }, 0)]
    public void Bad_counts_are_refused(int cores, string[] devices, int slots) =>
        Assert.Throws<ArgumentException>(() => CoreBudget.Plan(cores, devices, slots));

    [Theory]
    [InlineData("auto", null)]
    [InlineData(" AUTO ", null)]
    [InlineData("1", 1)]
    [InlineData("12", 12)]
    public void Slots_are_a_count_or_auto(string text, int? expected)
    {
        Assert.Equal(expected, CoreBudget.ParseSlots(text, "--slots"));
        Assert.Equal(expected, CoreBudget.ParseSlots(CoreBudget.SlotsText(expected), "--slots"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void Other_slot_settings_are_refused_naming_the_setting_and_what_it_takes(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => CoreBudget.ParseSlots(text, "Worker:Slots"));

        Assert.Contains("Worker:Slots must be a whole number of at least 1 or auto", error.Message);
    }
}
