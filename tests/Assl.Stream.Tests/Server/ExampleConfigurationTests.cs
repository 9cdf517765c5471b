using System.Text.Json;
using Assl.Stream.Events;
using Assl.Stream.Hosting;
using Assl.Stream.Inference;
using Assl.Stream.Ingest;
using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Windowing;
using Assl.Tests;
using Microsoft.Extensions.Configuration;

namespace Assl.Stream.Tests.Server;

/// <summary>configs/server.example.json is what operators copy from: every key must be a real setting, at its default.</summary>
public sealed class ExampleConfigurationTests
{
    private static readonly Dictionary<string, Type> Sections = new()
    {
        [InferenceOptions.SectionName] = typeof(InferenceOptions),
        [BatchingOptions.SectionName] = typeof(BatchingOptions),
        [WindowingOptions.SectionName] = typeof(WindowingOptions),
        [IngestOptions.SectionName] = typeof(IngestOptions),
        [EventOptions.SectionName] = typeof(EventOptions),
        [ServerOptions.SectionName] = typeof(ServerOptions),
        [StoreOptions.SectionName] = typeof(StoreOptions),
        [PseudoLabelOptions.SectionName] = typeof(PseudoLabelOptions),
        [OnlineLearningOptions.SectionName] = typeof(OnlineLearningOptions),
    };

    private static IConfigurationRoot Example() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RealData.RepositoryRoot, "configs", "server.example.json"), optional: false)
        .Build();

    [Fact]
    public void EveryKeyOfTheExampleIsASettingAtItsDefault()
    {
        var example = Example();
        Assert.Equal(Sections.Keys.Append("Urls").Order(), example.GetChildren().Select(c => c.Key).Order());
        foreach (var (name, type) in Sections)
        {
            // Binding refuses a key that names no property, so a misspelt or retired setting fails here.
            var bound = example.GetSection(name).Get(type, o => o.ErrorOnUnknownConfiguration = true)!;
            Assert.Equal(JsonSerializer.Serialize(Activator.CreateInstance(type)), JsonSerializer.Serialize(bound, type));
        }
    }

    [Fact]
    public void TheExampleListsTheDefaultAddressOfTheEmbeddedSettings()
    {
        var embedded = new ConfigurationBuilder().AddJsonFile(Path.Combine(RealData.RepositoryRoot, "src", "Assl.Stream", "appsettings.json")).Build();
        Assert.Equal(embedded["Urls"], Example()["Urls"]);
    }
}
