// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dusangire-analytics",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dusangire-analytics", targets: ["dusangire-analytics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries: one thin shim each, nothing else.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Extract/load plumbing: the only Swift code that touches libpq (and zstd) pointers.
        .target(name: "Postgres", dependencies: ["CLibPQ", "CZstd"]),
        // Domain values (Money, ShopDay, sale rows) and the source mapping.
        .target(name: "Shop"),
        // Pure transforms: values in, values out.
        .target(name: "Analytics", dependencies: ["Shop"]),
        // Extract: runs the source mapping in sql/source against the shop, streaming rows as domain values.
        .target(name: "Extract", dependencies: ["Postgres", "Shop"]),
        .target(name: "Seed", dependencies: ["Postgres", "Shop"]),
        // Load: migrations, range replace, run log, shop's Django tables.
        .target(name: "Warehouse", dependencies: ["Postgres", "Shop", "Analytics"]),
        // The jobs (backfill, nightly run): extract -> transform -> load, in that order, under one lock.
        .target(name: "Pipeline", dependencies: ["Extract", "Analytics", "Warehouse", "Postgres", "Shop"]),
        // Drawing on cairo (PNG pictures, PDF pages): the only Swift code that touches cairo pointers.
        .target(name: "Drawing", dependencies: ["CCairo"]),
        // Render: HTML, CSV, XLSX, PDF, the e-mail summary and its PNG charts; each section reads its figures from the
        // warehouse's stores.
        .target(name: "Reports", dependencies: ["Shop", "Analytics", "Postgres", "Warehouse", "CXLSXWriter", "Drawing"]),
        .target(name: "Delivery", dependencies: ["CCurl", "Postgres", "Shop"]),
        // The CLI: parsing, config, progress, exit codes; wiring only.
        .executableTarget(
            name: "dusangire-analytics",
            dependencies: [
                "Postgres", "Shop", "Analytics", "Extract", "Warehouse", "Pipeline", "Reports", "Seed", "Delivery", "Drawing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "Shop"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"]),
        // Helpers shared by the test targets (reading XLSX files back).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ReportTests", dependencies: ["Reports", "Analytics", "Shop", "Drawing", "TestSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "Postgres", "Shop"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Postgres", "Extract", "Warehouse", "Pipeline", "Shop", "Analytics", "Reports", "Seed", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
