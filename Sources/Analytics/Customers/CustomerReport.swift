import Shop

/// What the report's Customers section shows, as read back from the analytics tables (no extract): the figures as
/// of `asOf`, the latest computation on or before the report's day.
public struct CustomerReport: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var key: String, label: String, customers: Int, lifetimeValue: Money, rule: String
        public init(key: String, label: String, customers: Int, lifetimeValue: Money, rule: String) {
            self.key = key; self.label = label; self.customers = customers; self.lifetimeValue = lifetimeValue; self.rule = rule
        }
    }

    public struct ListRow: Sendable, Equatable {
        public var rank: Int, userId: Int64, name: String, lifetimeValue: Money, totalOrders: Int, daysSinceLastOrder: Int
        public var rfmGroup: String, probabilityAlive: Double?, action: String?
        public init(rank: Int, userId: Int64, name: String, lifetimeValue: Money, totalOrders: Int, daysSinceLastOrder: Int,
                    rfmGroup: String, probabilityAlive: Double?, action: String?) {
            self.rank = rank; self.userId = userId; self.name = name; self.lifetimeValue = lifetimeValue; self.totalOrders = totalOrders
            self.daysSinceLastOrder = daysSinceLastOrder; self.rfmGroup = rfmGroup; self.probabilityAlive = probabilityAlive; self.action = action
        }
    }

    public struct ModelFit: Sendable, Equatable {
        public var model: String, fitted: Bool, timeUnit: String, parameters: [(String, Double)]
        public var logLikelihood: Double?, customersUsed: Int, distinctPoints: Int?, converged: Bool, note: String?
        /// For the purchase models: whether the fit found customers who stop buying; nil for the spend model.
        public var dropoutFound: Bool?
        public init(model: String, fitted: Bool, timeUnit: String, parameters: [(String, Double)], logLikelihood: Double?,
                    customersUsed: Int, distinctPoints: Int?, converged: Bool, note: String?, dropoutFound: Bool? = nil) {
            self.model = model; self.fitted = fitted; self.timeUnit = timeUnit; self.parameters = parameters
            self.logLikelihood = logLikelihood; self.customersUsed = customersUsed; self.distinctPoints = distinctPoints
            self.converged = converged; self.note = note; self.dropoutFound = dropoutFound
        }
        public static func == (a: ModelFit, b: ModelFit) -> Bool {
            a.model == b.model && a.fitted == b.fitted && a.parameters.map(\.0) == b.parameters.map(\.0)
                && a.parameters.map(\.1) == b.parameters.map(\.1) && a.logLikelihood == b.logLikelihood
                && a.customersUsed == b.customersUsed && a.converged == b.converged && a.note == b.note
                && a.dropoutFound == b.dropoutFound
        }
    }

    public var asOf: ShopDay
    public var segments: [Count]
    public var rfmGroups: [Count]
    public var top: [ListRow]
    public var atRisk: [ListRow]
    public var cohorts: [CohortRow]
    public var programs: [ProgramFigure]
    public var fits: [ModelFit]
    /// Sums of the per-customer model outputs (nil without a model).
    public var expectedSales30: Double?
    public var expectedSales90: Double?
    public var clv12Months: Money?
    /// The model checked on the shop's own history (`ModelCheck`): the day it was fitted to and its lines; empty
    /// when it was not run.
    public var checkFittedTo: ShopDay?
    public var checkPurchases: [ModelCheck.Row] = []
    public var checkAtRisk: [ModelCheck.Row] = []

    /// Whether the purchase model found customers who stop buying. When it did not (or there is no model), the
    /// report shows no chance-still-active or lifetime-value estimates.
    public var modelFoundDropout: Bool { fits.first { $0.model == "bg_nbd" }?.dropoutFound ?? false }

    /// The purchase model's fit, when there is one, but without dropout: the sentence the report shows instead of
    /// the estimates; nil otherwise.
    public var noDropoutSentence: String? {
        guard let bg = fits.first(where: { $0.model == "bg_nbd" }), bg.fitted, bg.dropoutFound == false else { return nil }
        return "The purchase model found no clear sign that customers stop buying, so it cannot tell who has left: the at-risk list goes by the days since each customer's last sale only, and no chance-still-active or lifetime-value estimates are shown."
    }

    public init(asOf: ShopDay, segments: [Count] = [], rfmGroups: [Count] = [], top: [ListRow] = [], atRisk: [ListRow] = [],
                cohorts: [CohortRow] = [], programs: [ProgramFigure] = [], fits: [ModelFit] = [],
                expectedSales30: Double? = nil, expectedSales90: Double? = nil, clv12Months: Money? = nil) {
        self.asOf = asOf; self.segments = segments; self.rfmGroups = rfmGroups; self.top = top; self.atRisk = atRisk
        self.cohorts = cohorts; self.programs = programs; self.fits = fits
        self.expectedSales30 = expectedSales30; self.expectedSales90 = expectedSales90; self.clv12Months = clv12Months
    }

    /// A program figure by name.
    public func figure(_ program: String, _ figure: String) -> ProgramFigure? {
        programs.first { $0.program == program && $0.figure == figure }
    }
}
