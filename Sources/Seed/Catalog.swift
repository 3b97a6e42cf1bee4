/// The fixed, hand-written part of the synthetic shop: names, menu, partners, plans, packages and campaigns.
/// Everything here is plausible for a hospital meal shop in Kigali; prices are Rwandan francs.
enum Catalog {
    // MARK: People

    /// Given names as used in Rwanda: Kinyarwanda names and the French/English Christian names common in Kigali
    /// (a few with accents, so text handling gets exercised).
    static let givenNames = [
        "Aline", "Jean Paul", "Claudine", "Eric", "Diane", "Patrick", "Olivier", "Divine", "Grace", "Yvonne",
        "Emmanuel", "Chantal", "Innocent", "Alice", "Fabrice", "Sandrine", "Didier", "Solange", "Théogène",
        "Espérance", "Jean de Dieu", "Clarisse", "Gilbert", "Vestine", "Aimable", "Keza", "Ganza", "Mutoni",
        "Ishimwe", "Kwizera", "Iradukunda", "Teta", "Shema", "Gisa", "Manzi", "Umutoni", "Ineza", "Cyusa", "Hirwa",
        "Mugisha", "Célestin", "Josiane", "Janvier", "Liliane", "Pacifique", "Angélique", "Samuel", "Ruth",
        "Moïse", "Beata", "Fiston", "Nadine", "Kevin", "Sonia", "Christian", "Gloria", "Yves", "Ange", "Benitha",
        "Dative",
    ]

    static let surnames = [
        "Uwase", "Mugisha", "Niyonsaba", "Habimana", "Ingabire", "Nshimiyimana", "Mukamana", "Uwimana", "Ndayisaba",
        "Iradukunda", "Kwizera", "Ishimwe", "Mutoni", "Keza", "Ganza", "Gatete", "Hakizimana", "Niyonzima",
        "Uwamahoro", "Mukeshimana", "Bizimana", "Nsengiyumva", "Tuyishime", "Umuhoza", "Nyirahabimana",
        "Twagirayezu", "Munyaneza", "Rukundo", "Kayitesi", "Mukamurenzi", "Byiringiro", "Niyitegeka", "Uwera",
        "Gasana", "Kamanzi", "Murenzi", "Rwigema", "Ntwari", "Uwizeye", "Nkusi", "Karangwa", "Mukandayisenga",
        "Dusabimana", "Hategekimana", "Nyiransabimana", "Sibomana", "Umutesi", "Mbabazi",
    ]

    /// Customers with deliberately awkward names, at fixed ids (when the shop has that many customers), each made a
    /// frequent customer so they show up in per-customer lists: HTML, spreadsheet-formula and non-ASCII text.
    static let specialCustomers: [(id: Int, first: String, last: String)] = [
        (3, "<script>alert('x')</script>", "Habimana"),
        (5, "Ange-Félicité", "Mukamana"),
        (8, "Olivier", "=cmd|' /C calc'!A0"),
    ]

    /// Staff accounts appended after the customers (they approve refunds; they never order).
    static let staff: [(first: String, last: String, username: String)] = [
        ("Claudine", "Mukeshimana", "claudine.manager"),
        ("Eric", "Habineza", "eric.cashier"),
    ]

    // MARK: Menu

    static let categories: [(name: String, slug: String, description: String)] = [
        ("Breakfast", "breakfast", "Served 6:00 to 10:30: porridge, eggs, chapati and tea."),
        ("Lunch", "lunch", "Rwandan and East African plates for patients, families and staff."),
        ("Dinner", "dinner", "Evening meals from 17:00, grills and stews."),
        ("Soups", "soups", "Light soups and broths, suitable for most diets."),
        ("Juices", "juices", "Fresh juices pressed daily from local fruit."),
        ("Special diets", "special-diets", "Plates prepared with the hospital dietitians: low salt, diabetic, renal, soft."),
    ]

    struct Item {
        let name: String
        let category: Int          // index into `categories`
        let price: Int64           // hundredths of RWF
        let calories: Int
        let protein: Int64, carbs: Int64, fat: Int64   // hundredths of grams
        let ingredients: String
        let description: String
        let popularity: Double
        let featured: Bool
    }

    private static func item(_ name: String, _ category: Int, _ francs: Double, _ kcal: Int, _ p: Double, _ c: Double,
                             _ f: Double, _ ingredients: String, _ description: String, pop: Double = 1, featured: Bool = false) -> Item {
        Item(name: name, category: category, price: Int64((francs * 100).rounded()), calories: kcal,
             protein: Int64((p * 100).rounded()), carbs: Int64((c * 100).rounded()), fat: Int64((f * 100).rounded()),
             ingredients: ingredients, description: description, popularity: pop, featured: featured)
    }

    static let menu: [Item] = [
        item("Igikoma (sorghum porridge)", 0, 1500, 230, 6, 45, 3, "sorghum flour, milk, sugar", "Warm sorghum porridge, lightly sweetened.", pop: 1.6),
        item("Chapati and African tea", 0, 2000, 420, 8, 60, 15, "wheat flour, oil, milk, tea leaves, ginger", "Two chapatis with spiced milk tea.", pop: 1.8, featured: true),
        item("Omelette with toast", 0, 3000, 380, 20, 30, 18, "eggs, onion, tomato, bread", "Three-egg omelette with tomato and onion, two slices of toast.", pop: 1.4),
        item("Mandazi and coffee", 0, 1500.50, 350, 6, 48, 14, "flour, coconut milk, sugar, Rwandan coffee", "Three mandazi with a cup of Rwandan coffee.", pop: 1.2),
        item("Banana pancakes", 0, 2800, 410, 9, 62, 12, "bananas, flour, eggs, honey", "Pancakes made with ripe bananas, served with honey.", pop: 0.8),
        item("Rolex (chapati egg roll)", 0, 2500, 520, 18, 50, 25, "chapati, eggs, cabbage, tomato", "Chapati rolled around an omelette with vegetables.", pop: 1.0),
        item("Isombe with rice", 1, 4500, 610, 16, 88, 20, "cassava leaves, eggplant, palm oil, peanut paste, rice", "Pounded cassava leaves with peanut sauce, served with rice.", pop: 1.7, featured: true),
        item("Brochettes (goat) with chips", 1, 6500, 820, 42, 70, 38, "goat meat, potatoes, onion, pili pili", "Three goat brochettes with chips and kachumbari.", pop: 1.9, featured: true),
        item("Beef stew with ugali", 1, 5000, 700, 35, 85, 22, "beef, tomato, onion, maize flour", "Slow-cooked beef stew with ugali.", pop: 1.3),
        item("Sambaza with chips", 1, 5500, 690, 34, 66, 30, "sambaza (Lake Kivu sardines), potatoes, lemon", "Crispy fried sambaza with chips and lemon.", pop: 1.2),
        item("Matoke with beans", 1, 3800, 560, 18, 98, 8, "green bananas, red beans, onion, tomato", "Steamed matoke with stewed beans.", pop: 1.5),
        item("Chicken pilau", 1, 6000, 740, 36, 92, 22, "rice, chicken, pilau masala, onion", "Spiced rice with chicken.", pop: 1.3),
        item("Grilled tilapia from Lake Kivu", 1, 9500, 650, 52, 40, 26, "tilapia, lemon, garlic, plantain", "Whole grilled tilapia with fried plantain.", pop: 0.8),
        item("Buffet plate (rice, beans, greens, plantain)", 1, 4000, 720, 20, 120, 14, "rice, beans, dodo greens, plantain, cabbage", "The daily Rwandan buffet plate.", pop: 2.0),
        item("Vegetable biryani", 1, 4500.50, 600, 14, 98, 16, "rice, carrots, peas, biryani spices", "Fragrant rice with seasonal vegetables.", pop: 0.7),
        item("Grilled chicken with potatoes", 2, 8000, 780, 48, 55, 36, "chicken, potatoes, garlic, rosemary", "Quarter chicken, grilled, with roast potatoes.", pop: 1.4),
        item("Goat brochettes platter (sharing)", 2, 12000, 1450, 80, 110, 70, "goat meat, plantain, potatoes, salad", "Six brochettes with plantain, chips and salad, for two.", pop: 0.6),
        item("Beef pilau", 2, 5500, 760, 34, 95, 24, "rice, beef, pilau masala", "Spiced rice with beef.", pop: 1.1),
        item("Fish curry with rice", 2, 7000, 690, 40, 80, 20, "tilapia, coconut milk, curry, rice", "Tilapia in a mild coconut curry.", pop: 0.9),
        item("Ibirayi with beans and avocado", 2, 3500, 620, 18, 96, 18, "Irish potatoes, beans, avocado", "Boiled Irish potatoes with beans and half an avocado.", pop: 1.3),
        item("Ibihaza (pumpkin) soup", 3, 2500, 180, 4, 30, 5, "pumpkin, onion, ginger", "Smooth pumpkin soup.", pop: 1.2),
        item("Low-salt chicken broth", 3, 3000, 150, 18, 6, 5, "chicken, carrots, celery, herbs", "Clear chicken broth with no added salt.", pop: 1.4),
        item("Bean and vegetable soup", 3, 2200, 240, 12, 36, 4, "beans, carrots, leeks", "Thick soup of beans and vegetables.", pop: 0.9),
        item("Beef bone broth", 3, 3200.50, 190, 16, 4, 11, "beef bones, onion, herbs", "Long-simmered beef broth.", pop: 0.7),
        item("Fresh passion juice", 4, 1500, 120, 1, 28, 0, "passion fruit, water, sugar", "Freshly pressed passion fruit juice.", pop: 2.0, featured: true),
        item("Tree tomato (ibinyomoro) juice", 4, 1800, 110, 1, 25, 0, "tree tomatoes, water", "Tangy tree tomato juice.", pop: 1.0),
        item("Pineapple and ginger juice", 4, 2000, 130, 1, 31, 0, "pineapple, ginger", "Pineapple juice with fresh ginger.", pop: 1.2),
        item("Avocado smoothie", 4, 2500, 320, 5, 30, 20, "avocado, milk, honey", "Thick avocado smoothie.", pop: 0.8),
        item("Diabetic plate (brown rice, greens, fish)", 5, 7500, 520, 38, 48, 16, "brown rice, tilapia, spinach", "Low-glycaemic plate approved by the dietitians.", pop: 0.9),
        item("Soft diet: mashed sweet potato and egg", 5, 3500, 380, 14, 55, 10, "sweet potato, egg, milk", "Soft and easy to swallow.", pop: 0.8),
        item("Renal diet plate (low potassium)", 5, 6500, 480, 22, 70, 12, "white rice, chicken, cabbage", "Low-potassium, low-phosphorus plate.", pop: 0.5),
        item("Gluten-free matoke and chicken", 5, 6800, 640, 34, 80, 18, "green bananas, chicken, tomato", "Matoke with chicken stew, no wheat.", pop: 0.6),
    ]

    /// Relative weight of each category by meal window (breakfast, lunch, dinner, other).
    static let categoryMix: [[Double]] = [
        [60, 2, 1, 10, 18, 9],   // breakfast 06:00-09:00
        [4, 54, 6, 12, 15, 9],   // lunch 11:30-14:00
        [2, 16, 50, 12, 12, 8],  // dinner 17:30-20:00
        [12, 28, 18, 14, 20, 8], // other hours
    ]

    // MARK: Corporate

    struct Partner {
        let name, address, contact, email, phone, type, prefix: String
        let discountPercent: Int64  // hundredths of a percent
        let departments: [String]
    }

    static let partners: [Partner] = [
        Partner(name: "King Faisal Hospital staff", address: "KG 544 St, Kacyiru, Kigali", contact: "Dr. Agnès Uwamahoro",
                email: "staffwelfare@kfh.example.rw", phone: "+250788100200", type: "hospital", prefix: "KFH", discountPercent: 1500,
                departments: ["Nursing", "Pediatrics", "Radiology", "Pharmacy", "Laboratory", "Administration", "Emergency"]),
        Partner(name: "Bank of Kigali", address: "KN 4 Ave, Nyarugenge, Kigali", contact: "Jean Bosco Nkusi",
                email: "hr.benefits@bk.example.rw", phone: "+250788143000", type: "corporate", prefix: "BK", discountPercent: 1000,
                departments: ["Retail Banking", "Finance", "IT", "Risk", "Human Resources"]),
        Partner(name: "MTN Rwanda", address: "KG 9 Ave, Nyarutarama, Kigali", contact: "Sandrine Umutoni",
                email: "wellness@mtn.example.rw", phone: "+250788312000", type: "corporate", prefix: "MTN", discountPercent: 1200,
                departments: ["MoMo", "Network", "Customer Care", "Sales", "Legal"]),
        Partner(name: "Rwanda Biomedical Centre", address: "KG 203 St, Gasabo, Kigali", contact: "Innocent Habimana",
                email: "procurement@rbc.example.rw", phone: "+250788500600", type: "government", prefix: "RBC", discountPercent: 1000,
                departments: ["Epidemiology", "Maternal Health", "Logistics", "Research"]),
    ]

    // MARK: Subscriptions

    struct Plan {
        let name, description, type, category: String
        let price: Int64            // hundredths
        let mealsPerCycle, durationDays: Int
        let discountPercent: Int64  // hundredths of a percent
        let featured, popular: Bool
        let share: Double           // of subscribers
    }

    static let plans: [Plan] = [
        Plan(name: "Daily Patient Lunch", description: "One hot lunch delivered to the ward every day.", type: "daily",
             category: "standard", price: 350_000, mealsPerCycle: 1, durationDays: 1, discountPercent: 500, featured: false, popular: false, share: 0.15),
        Plan(name: "Weekly Family Meals", description: "Seven lunches or dinners a week for patients' families.", type: "weekly",
             category: "standard", price: 2_800_000, mealsPerCycle: 7, durationDays: 7, discountPercent: 1000, featured: true, popular: true, share: 0.45),
        Plan(name: "Monthly Staff Lunch", description: "Twenty-two weekday lunches for hospital staff.", type: "monthly",
             category: "premium", price: 8_500_000, mealsPerCycle: 22, durationDays: 30, discountPercent: 1500, featured: true, popular: false, share: 0.28),
        Plan(name: "Monthly Low-Salt Diet", description: "Thirty dietitian-approved low-salt meals.", type: "monthly",
             category: "special_diet", price: 11_000_000, mealsPerCycle: 30, durationDays: 30, discountPercent: 1000, featured: false, popular: false, share: 0.12),
    ]

    static let dietaryPreferences = ["", "", "", "Low salt", "Diabetic-friendly", "No pork", "Vegetarian", "Soft food only", "No spicy food"]

    // MARK: VIP

    /// bronze, silver, gold, platinum: share of VIP customers, discount (hundredths of a percent), threshold (hundredths).
    static let vipTiers: [(name: String, share: Double, percent: Int64, threshold: Int64, benefits: String)] = [
        ("bronze", 0.50, 500, 10_000_000, #"["5% off orders of 5,000 RWF or more", "Birthday dessert"]"#),
        ("silver", 0.30, 800, 30_000_000, #"["8% off orders of 5,000 RWF or more", "Priority delivery", "Birthday dessert"]"#),
        ("gold", 0.15, 1000, 75_000_000, #"["10% off orders of 5,000 RWF or more", "Priority delivery", "Free delivery on weekends"]"#),
        ("platinum", 0.05, 1500, 150_000_000, #"["15% off orders of 5,000 RWF or more", "Priority delivery", "Free delivery", "Dedicated line"]"#),
    ]

    // MARK: Catering

    static let packages: [(name: String, description: String, pricePerPerson: Int64, minPeople: Int)] = [
        ("Staff meeting lunch", "Buffet lunch with two mains, sides, juice and fruit.", 800_000, 15),
        ("Conference buffet", "Full-day buffet: tea break, lunch, afternoon snacks.", 1_200_000, 40),
        ("Family celebration", "Celebration menu for a patient's family: brochettes, pilau, cake.", 650_000, 10),
    ]

    static let cateringEvents = [
        "Nursing graduation lunch", "Board meeting lunch", "Pediatrics ward party", "Medical conference",
        "Retirement celebration", "World Health Day staff event", "Baby shower", "Quarterly staff meeting",
        "Doctors' training workshop", "Donor visit reception", "Family thanksgiving after discharge",
    ]

    static let cateringLocations = [
        "KFH conference room B", "Hospital main hall", "Kigali Convention Centre", "Marriott Kigali, Akagera room",
        "Kacyiru family home", "Kimihurura garden", "RBC auditorium", "Remera, private residence",
    ]

    // MARK: Refund reasons

    static let refundReasons = [
        "Meal arrived cold", "Wrong item delivered", "Patient discharged before delivery", "Charged twice on MoMo",
        "Item missing from the order", "Delivered to the wrong ward", "Food did not match the diet plan",
    ]
}
