using System.Reflection;
using System.Text.Json;
using Assl.Stream.Inference;
using Assl.Tests;
using Microsoft.Extensions.Configuration;

namespace Assl.Stream.Tests.Server;

/// <summary>configs/server.example.json is what operators copy from: every key must be a real setting, at its default.</summary>
public sealed class ExampleConfigurationTests
{
    /// <summary>Every options class of the server, by the section it binds (its SectionName constant).</summary>
    internal static readonly Dictionary<string, Type> Sections = typeof(InferenceOptions).Assembly.GetTypes()
        .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(t => t.Field is { IsLiteral: true } && t.Field.FieldType == typeof(string) && t.Type.GetConstructor(Type.EmptyTypes) is not null)
        .ToDictionary(t => (string)t.Field!.GetRawConstantValue()!, t => t.Type);

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
