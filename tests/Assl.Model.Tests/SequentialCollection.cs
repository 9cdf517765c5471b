namespace Assl.Model.Tests;

/// <summary>
/// Tests that seed libtorch's generator and then depend on what it draws. The generator is one per process, so a test
/// running beside them on another thread can draw from it in between. That is the suspected cause of a seeded gradient
/// test that failed once with the whole assembly and passes alone. This collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition("Sequential", DisableParallelization = true)]
public sealed class SequentialCollection;
