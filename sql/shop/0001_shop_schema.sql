-- dusangire-analytics: the subset of the shop's PostgreSQL schema this project uses.
--
-- Derived from the shop's Django migrations (pg_dump --schema-only of the
-- database they create on PostgreSQL 15).  Do not edit by hand; regenerate with:
--     python3 scripts/extract-shop-ddl.py /path/to/dusangire-schema.sql > sql/shop/0001_shop_schema.sql
-- Kept: CREATE TABLE, identity sequences, PK/UNIQUE/CHECK constraints, indexes,
-- and foreign keys whose both ends are in the subset.  Contains no psql
-- meta-commands, so it also runs as a single libpq PQexec call.
-- Tables (31): analytics_campaign, analytics_campaignperformance, analytics_conversionevent, analytics_customermetrics, analytics_dailyanalyticssnapshot, analytics_pageviewanalytics, analytics_revenuestream, auth_user, catering_cateringbooking, catering_cateringpackage, corporate_corporatecontract, corporate_corporateemployee, corporate_corporatepartner, delivery_deliveryaddress, delivery_deliveryzone, loyalty_loyaltypoints, loyalty_pointsredemption, loyalty_pointstransaction, menu_category, menu_menuitem, orders_order, orders_orderitem, payments_payment, payments_refundrequest, subscriptions_loyaltypoints, subscriptions_loyaltytransaction, subscriptions_referralprogram, subscriptions_subscription, subscriptions_subscriptionorder, subscriptions_subscriptionplan, subscriptions_viptier
-- Foreign keys dropped (referenced table not in the subset):
--   payments_payment.bank_provider_id -> payments_banktransferprovider (nullable)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
SET default_tablespace = '';
SET default_table_access_method = heap;

--
-- Name: analytics_campaign; Type: TABLE
--

CREATE TABLE public.analytics_campaign (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    description text NOT NULL,
    status character varying(20) NOT NULL,
    discount_type character varying(50) NOT NULL,
    discount_value numeric(10,2) NOT NULL,
    target_audience character varying(100) NOT NULL,
    start_date timestamp with time zone NOT NULL,
    end_date timestamp with time zone NOT NULL,
    budget numeric(12,2),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: analytics_campaignperformance; Type: TABLE
--

CREATE TABLE public.analytics_campaignperformance (
    id bigint NOT NULL,
    orders_influenced integer NOT NULL,
    revenue_generated numeric(12,2) NOT NULL,
    customers_reached integer NOT NULL,
    customers_converted integer NOT NULL,
    conversion_rate numeric(5,2) NOT NULL,
    roi numeric(8,2) NOT NULL,
    tracked_at timestamp with time zone NOT NULL,
    campaign_id bigint NOT NULL
);


--
-- Name: analytics_conversionevent; Type: TABLE
--

CREATE TABLE public.analytics_conversionevent (
    id bigint NOT NULL,
    event_type character varying(50) NOT NULL,
    session_id character varying(100) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    metadata jsonb NOT NULL,
    user_id integer
);


--
-- Name: analytics_customermetrics; Type: TABLE
--

CREATE TABLE public.analytics_customermetrics (
    id bigint NOT NULL,
    total_orders integer NOT NULL,
    total_spent numeric(12,2) NOT NULL,
    average_order_value numeric(10,2) NOT NULL,
    first_order_date timestamp with time zone,
    last_order_date timestamp with time zone,
    days_since_last_order integer NOT NULL,
    lifetime_value numeric(12,2) NOT NULL,
    churn_risk boolean NOT NULL,
    vip_tier_current character varying(20) NOT NULL,
    subscription_active boolean NOT NULL,
    loyalty_points_earned integer NOT NULL,
    loyalty_points_redeemed integer NOT NULL,
    loyalty_value_redeemed numeric(12,2) NOT NULL,
    referral_count integer NOT NULL,
    referral_earnings numeric(12,2) NOT NULL,
    total_discounts_received numeric(12,2) NOT NULL,
    vip_discounts_received numeric(12,2) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    user_id integer NOT NULL
);


--
-- Name: analytics_dailyanalyticssnapshot; Type: TABLE
--

CREATE TABLE public.analytics_dailyanalyticssnapshot (
    id bigint NOT NULL,
    date date NOT NULL,
    total_orders integer NOT NULL,
    unique_customers integer NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    total_discount numeric(12,2) NOT NULL,
    average_order_value numeric(10,2) NOT NULL,
    vip_orders integer NOT NULL,
    subscription_orders integer NOT NULL,
    referral_orders integer NOT NULL,
    cash_orders integer NOT NULL,
    mobile_money_orders integer NOT NULL,
    bank_transfer_orders integer NOT NULL,
    card_orders integer NOT NULL,
    vip_discounts_given numeric(12,2) NOT NULL,
    loyalty_discounts_given numeric(12,2) NOT NULL,
    referral_discounts_given numeric(12,2) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: analytics_pageviewanalytics; Type: TABLE
--

CREATE TABLE public.analytics_pageviewanalytics (
    id bigint NOT NULL,
    page_name character varying(255) NOT NULL,
    view_count integer NOT NULL,
    unique_visitors integer NOT NULL,
    date date NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: analytics_revenuestream; Type: TABLE
--

CREATE TABLE public.analytics_revenuestream (
    id bigint NOT NULL,
    date date NOT NULL,
    channel character varying(50) NOT NULL,
    amount numeric(12,2) NOT NULL,
    transaction_count integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: auth_user; Type: TABLE
--

CREATE TABLE public.auth_user (
    id integer NOT NULL,
    password character varying(128) NOT NULL,
    last_login timestamp with time zone,
    is_superuser boolean NOT NULL,
    username character varying(150) NOT NULL,
    first_name character varying(150) NOT NULL,
    last_name character varying(150) NOT NULL,
    email character varying(254) NOT NULL,
    is_staff boolean NOT NULL,
    is_active boolean NOT NULL,
    date_joined timestamp with time zone NOT NULL
);


--
-- Name: catering_cateringbooking; Type: TABLE
--

CREATE TABLE public.catering_cateringbooking (
    id bigint NOT NULL,
    event_name character varying(200) NOT NULL,
    event_date date NOT NULL,
    event_time time without time zone NOT NULL,
    location text NOT NULL,
    number_of_people integer NOT NULL,
    special_requests text,
    status character varying(20) NOT NULL,
    total_price numeric(12,2) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    package_id bigint,
    user_id integer NOT NULL,
    CONSTRAINT catering_cateringbooking_number_of_people_check CHECK ((number_of_people >= 0))
);


--
-- Name: catering_cateringpackage; Type: TABLE
--

CREATE TABLE public.catering_cateringpackage (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    description text NOT NULL,
    price_per_person numeric(10,2) NOT NULL,
    min_people integer NOT NULL,
    image character varying(100),
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT catering_cateringpackage_min_people_check CHECK ((min_people >= 0))
);


--
-- Name: corporate_corporatecontract; Type: TABLE
--

CREATE TABLE public.corporate_corporatecontract (
    id bigint NOT NULL,
    contract_number character varying(50) NOT NULL,
    start_date date NOT NULL,
    end_date date NOT NULL,
    discount_percentage numeric(5,2) NOT NULL,
    billing_cycle character varying(20) NOT NULL,
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    partner_id bigint NOT NULL,
    notes text,
    status character varying(20) NOT NULL
);


--
-- Name: corporate_corporateemployee; Type: TABLE
--

CREATE TABLE public.corporate_corporateemployee (
    id bigint NOT NULL,
    employee_id character varying(50),
    department character varying(100),
    is_active boolean NOT NULL,
    joined_at timestamp with time zone NOT NULL,
    partner_id bigint NOT NULL,
    user_id integer NOT NULL
);


--
-- Name: corporate_corporatepartner; Type: TABLE
--

CREATE TABLE public.corporate_corporatepartner (
    id bigint NOT NULL,
    name character varying(255) NOT NULL,
    address text NOT NULL,
    contact_person character varying(255) NOT NULL,
    contact_email character varying(254) NOT NULL,
    contact_phone character varying(20) NOT NULL,
    partner_type character varying(20) NOT NULL,
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: delivery_deliveryaddress; Type: TABLE
--

CREATE TABLE public.delivery_deliveryaddress (
    id bigint NOT NULL,
    label character varying(50) NOT NULL,
    full_name character varying(200) NOT NULL,
    phone character varying(20) NOT NULL,
    address_line1 character varying(200) NOT NULL,
    address_line2 character varying(200) NOT NULL,
    city character varying(100) NOT NULL,
    delivery_instructions text NOT NULL,
    is_default boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    user_id integer NOT NULL,
    zone_id bigint
);


--
-- Name: delivery_deliveryzone; Type: TABLE
--

CREATE TABLE public.delivery_deliveryzone (
    id bigint NOT NULL,
    name character varying(100) NOT NULL,
    description text NOT NULL,
    delivery_charge numeric(10,2) NOT NULL,
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_loyaltypoints; Type: TABLE
--

CREATE TABLE public.loyalty_loyaltypoints (
    id bigint NOT NULL,
    total_points integer NOT NULL,
    lifetime_points integer NOT NULL,
    points_redeemed integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    user_id integer NOT NULL,
    CONSTRAINT loyalty_loyaltypoints_lifetime_points_check CHECK ((lifetime_points >= 0)),
    CONSTRAINT loyalty_loyaltypoints_points_redeemed_check CHECK ((points_redeemed >= 0)),
    CONSTRAINT loyalty_loyaltypoints_total_points_check CHECK ((total_points >= 0))
);


--
-- Name: loyalty_pointsredemption; Type: TABLE
--

CREATE TABLE public.loyalty_pointsredemption (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    description text NOT NULL,
    points_required integer NOT NULL,
    discount_amount numeric(10,2),
    discount_percentage numeric(5,2),
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT loyalty_pointsredemption_points_required_check CHECK ((points_required >= 0))
);


--
-- Name: loyalty_pointstransaction; Type: TABLE
--

CREATE TABLE public.loyalty_pointstransaction (
    id bigint NOT NULL,
    points integer NOT NULL,
    transaction_type character varying(20) NOT NULL,
    reason character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    order_id bigint,
    user_id integer NOT NULL
);


--
-- Name: menu_category; Type: TABLE
--

CREATE TABLE public.menu_category (
    id bigint NOT NULL,
    name character varying(100) NOT NULL,
    description text NOT NULL,
    slug character varying(100) NOT NULL,
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: menu_menuitem; Type: TABLE
--

CREATE TABLE public.menu_menuitem (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    description text NOT NULL,
    price numeric(10,2) NOT NULL,
    image character varying(100),
    calories integer,
    protein numeric(5,2),
    carbs numeric(5,2),
    fat numeric(5,2),
    is_available boolean NOT NULL,
    is_featured boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    category_id bigint NOT NULL,
    ingredients text NOT NULL,
    average_rating numeric(3,2) NOT NULL,
    total_reviews integer NOT NULL,
    CONSTRAINT menu_menuitem_calories_check CHECK ((calories >= 0)),
    CONSTRAINT menu_menuitem_total_reviews_check CHECK ((total_reviews >= 0))
);


--
-- Name: orders_order; Type: TABLE
--

CREATE TABLE public.orders_order (
    id bigint NOT NULL,
    order_number character varying(20) NOT NULL,
    status character varying(20) NOT NULL,
    customer_name character varying(200) NOT NULL,
    customer_phone character varying(20) NOT NULL,
    delivery_address_id bigint,
    delivery_instructions text NOT NULL,
    subtotal numeric(10,2) NOT NULL,
    delivery_charge numeric(10,2) NOT NULL,
    total numeric(10,2) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    user_id integer NOT NULL,
    coupon_code character varying(50) NOT NULL,
    discount_amount numeric(10,2) NOT NULL,
    loyalty_discount_amount numeric(10,2) NOT NULL,
    loyalty_points_redeemed integer NOT NULL,
    referral_discount_amount numeric(10,2) NOT NULL,
    vip_discount_amount numeric(10,2) NOT NULL,
    corporate_discount_amount numeric(10,2) NOT NULL,
    account_number character varying(100) NOT NULL,
    payment_method character varying(50) NOT NULL,
    payment_notes text NOT NULL,
    payment_status character varying(20) NOT NULL,
    phone_number character varying(20) NOT NULL,
    transaction_id character varying(100) NOT NULL,
    special_requests text NOT NULL,
    CONSTRAINT orders_order_loyalty_points_redeemed_check CHECK ((loyalty_points_redeemed >= 0))
);


--
-- Name: orders_orderitem; Type: TABLE
--

CREATE TABLE public.orders_orderitem (
    id bigint NOT NULL,
    quantity integer NOT NULL,
    price numeric(10,2) NOT NULL,
    subtotal numeric(10,2) NOT NULL,
    menu_item_id bigint NOT NULL,
    order_id bigint NOT NULL,
    CONSTRAINT orders_orderitem_quantity_check CHECK ((quantity >= 0))
);


--
-- Name: payments_payment; Type: TABLE
--

CREATE TABLE public.payments_payment (
    id bigint NOT NULL,
    payment_method character varying(50) NOT NULL,
    status character varying(20) NOT NULL,
    amount numeric(10,2) NOT NULL,
    transaction_id character varying(100) NOT NULL,
    phone_number character varying(20) NOT NULL,
    account_number character varying(50) NOT NULL,
    notes text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    paid_at timestamp with time zone,
    order_id bigint,
    gateway_name character varying(50) NOT NULL,
    gateway_response jsonb,
    payment_link character varying(200) NOT NULL,
    payment_id uuid NOT NULL,
    currency character varying(3) NOT NULL,
    payment_type character varying(30) NOT NULL,
    transaction_status character varying(25) NOT NULL,
    transaction_reference character varying(100) NOT NULL,
    invoice_number character varying(50) NOT NULL,
    invoice_generated boolean NOT NULL,
    reconciled boolean NOT NULL,
    reconciled_at timestamp with time zone,
    customer_notes text NOT NULL,
    processing_started_at timestamp with time zone,
    subscription_id bigint,
    bank_provider_id bigint
);


--
-- Name: payments_refundrequest; Type: TABLE
--

CREATE TABLE public.payments_refundrequest (
    id bigint NOT NULL,
    reason text NOT NULL,
    refund_amount numeric(10,2) NOT NULL,
    status character varying(20) NOT NULL,
    refund_transaction_id character varying(100) NOT NULL,
    response_notes text NOT NULL,
    refund_completed_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    approved_at timestamp with time zone,
    approved_by_id integer,
    payment_id bigint NOT NULL
);


--
-- Name: subscriptions_loyaltypoints; Type: TABLE
--

CREATE TABLE public.subscriptions_loyaltypoints (
    id bigint NOT NULL,
    balance integer NOT NULL,
    earned_total integer NOT NULL,
    redeemed_total integer NOT NULL,
    subscription_bonus_rate numeric(5,2) NOT NULL,
    expires_at date,
    last_activity_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    notes text NOT NULL,
    user_id integer NOT NULL,
    CONSTRAINT subscriptions_loyaltypoints_balance_check CHECK ((balance >= 0)),
    CONSTRAINT subscriptions_loyaltypoints_earned_total_check CHECK ((earned_total >= 0)),
    CONSTRAINT subscriptions_loyaltypoints_redeemed_total_check CHECK ((redeemed_total >= 0))
);


--
-- Name: subscriptions_loyaltytransaction; Type: TABLE
--

CREATE TABLE public.subscriptions_loyaltytransaction (
    id bigint NOT NULL,
    transaction_type character varying(20) NOT NULL,
    points_amount integer NOT NULL,
    description text NOT NULL,
    balance_before integer NOT NULL,
    balance_after integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    related_payment_id bigint,
    related_subscription_id bigint,
    user_id integer NOT NULL,
    CONSTRAINT subscriptions_loyaltytransaction_balance_after_check CHECK ((balance_after >= 0)),
    CONSTRAINT subscriptions_loyaltytransaction_balance_before_check CHECK ((balance_before >= 0)),
    CONSTRAINT subscriptions_loyaltytransaction_points_amount_check CHECK ((points_amount >= 0))
);


--
-- Name: subscriptions_referralprogram; Type: TABLE
--

CREATE TABLE public.subscriptions_referralprogram (
    id bigint NOT NULL,
    referral_code character varying(20) NOT NULL,
    referral_link character varying(200) NOT NULL,
    referrer_bonus_rwf integer NOT NULL,
    referrer_bonus_points integer NOT NULL,
    referee_discount_percent numeric(5,2) NOT NULL,
    status character varying(20) NOT NULL,
    completed_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    referee_id integer,
    referrer_id integer NOT NULL,
    CONSTRAINT subscriptions_referralprogram_referrer_bonus_points_check CHECK ((referrer_bonus_points >= 0)),
    CONSTRAINT subscriptions_referralprogram_referrer_bonus_rwf_check CHECK ((referrer_bonus_rwf >= 0))
);


--
-- Name: subscriptions_subscription; Type: TABLE
--

CREATE TABLE public.subscriptions_subscription (
    id bigint NOT NULL,
    status character varying(20) NOT NULL,
    start_date date NOT NULL,
    end_date date NOT NULL,
    next_billing_date date,
    paused_until date,
    preferred_delivery_time time without time zone,
    dietary_preferences text NOT NULL,
    auto_order_enabled boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    cancelled_at timestamp with time zone,
    plan_id bigint NOT NULL,
    user_id integer NOT NULL,
    auto_renewal_enabled boolean NOT NULL,
    delivery_address_id integer
);


--
-- Name: subscriptions_subscriptionorder; Type: TABLE
--

CREATE TABLE public.subscriptions_subscriptionorder (
    id bigint NOT NULL,
    scheduled_date date NOT NULL,
    created_at timestamp with time zone NOT NULL,
    order_id bigint NOT NULL,
    subscription_id bigint NOT NULL
);


--
-- Name: subscriptions_subscriptionplan; Type: TABLE
--

CREATE TABLE public.subscriptions_subscriptionplan (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    description text NOT NULL,
    plan_type character varying(20) NOT NULL,
    price numeric(10,2) NOT NULL,
    meals_per_cycle integer NOT NULL,
    duration_days integer NOT NULL,
    is_active boolean NOT NULL,
    is_featured boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    discount_percentage numeric(5,2) NOT NULL,
    is_popular boolean NOT NULL,
    subscribers_count integer NOT NULL,
    category character varying(20) NOT NULL,
    CONSTRAINT subscriptions_subscriptionplan_duration_days_check CHECK ((duration_days >= 0)),
    CONSTRAINT subscriptions_subscriptionplan_meals_per_cycle_check CHECK ((meals_per_cycle >= 0)),
    CONSTRAINT subscriptions_subscriptionplan_subscribers_count_check CHECK ((subscribers_count >= 0))
);


--
-- Name: subscriptions_viptier; Type: TABLE
--

CREATE TABLE public.subscriptions_viptier (
    id bigint NOT NULL,
    tier_level character varying(20) NOT NULL,
    spending_ytd numeric(12,2) NOT NULL,
    spending_total numeric(15,2) NOT NULL,
    promotion_percentage numeric(5,2) NOT NULL,
    access_level integer NOT NULL,
    achieved_at date NOT NULL,
    next_tier_threshold numeric(12,2) NOT NULL,
    benefits_list jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    user_id integer NOT NULL,
    CONSTRAINT subscriptions_viptier_access_level_check CHECK ((access_level >= 0))
);


--
-- Name: analytics_campaign_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_campaign ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_campaign_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_campaignperformance_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_campaignperformance ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_campaignperformance_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_conversionevent_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_conversionevent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_conversionevent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_customermetrics_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_customermetrics ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_customermetrics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_dailyanalyticssnapshot_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_dailyanalyticssnapshot ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_dailyanalyticssnapshot_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_pageviewanalytics_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_pageviewanalytics ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_pageviewanalytics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_revenuestream_id_seq; Type: SEQUENCE
--

ALTER TABLE public.analytics_revenuestream ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.analytics_revenuestream_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_user_id_seq; Type: SEQUENCE
--

ALTER TABLE public.auth_user ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_user_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: catering_cateringbooking_id_seq; Type: SEQUENCE
--

ALTER TABLE public.catering_cateringbooking ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.catering_cateringbooking_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: catering_cateringpackage_id_seq; Type: SEQUENCE
--

ALTER TABLE public.catering_cateringpackage ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.catering_cateringpackage_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: corporate_corporatecontract_id_seq; Type: SEQUENCE
--

ALTER TABLE public.corporate_corporatecontract ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.corporate_corporatecontract_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: corporate_corporateemployee_id_seq; Type: SEQUENCE
--

ALTER TABLE public.corporate_corporateemployee ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.corporate_corporateemployee_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: corporate_corporatepartner_id_seq; Type: SEQUENCE
--

ALTER TABLE public.corporate_corporatepartner ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.corporate_corporatepartner_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: delivery_deliveryaddress_id_seq; Type: SEQUENCE
--

ALTER TABLE public.delivery_deliveryaddress ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.delivery_deliveryaddress_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: delivery_deliveryzone_id_seq; Type: SEQUENCE
--

ALTER TABLE public.delivery_deliveryzone ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.delivery_deliveryzone_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: loyalty_loyaltypoints_id_seq; Type: SEQUENCE
--

ALTER TABLE public.loyalty_loyaltypoints ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.loyalty_loyaltypoints_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: loyalty_pointsredemption_id_seq; Type: SEQUENCE
--

ALTER TABLE public.loyalty_pointsredemption ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.loyalty_pointsredemption_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: loyalty_pointstransaction_id_seq; Type: SEQUENCE
--

ALTER TABLE public.loyalty_pointstransaction ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.loyalty_pointstransaction_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: menu_category_id_seq; Type: SEQUENCE
--

ALTER TABLE public.menu_category ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.menu_category_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: menu_menuitem_id_seq; Type: SEQUENCE
--

ALTER TABLE public.menu_menuitem ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.menu_menuitem_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: orders_order_id_seq; Type: SEQUENCE
--

ALTER TABLE public.orders_order ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.orders_order_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: orders_orderitem_id_seq; Type: SEQUENCE
--

ALTER TABLE public.orders_orderitem ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.orders_orderitem_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: payments_payment_id_seq; Type: SEQUENCE
--

ALTER TABLE public.payments_payment ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.payments_payment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: payments_refundrequest_id_seq; Type: SEQUENCE
--

ALTER TABLE public.payments_refundrequest ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.payments_refundrequest_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_loyaltypoints_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_loyaltypoints ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_loyaltypoints_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_loyaltytransaction_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_loyaltytransaction ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_loyaltytransaction_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_referralprogram_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_referralprogram ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_referralprogram_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_subscriptionorder_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_subscriptionorder ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_subscriptionorder_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_subscriptionplan_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_subscriptionplan ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_subscriptionplan_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_usersubscription_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_subscription ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_usersubscription_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: subscriptions_viptier_id_seq; Type: SEQUENCE
--

ALTER TABLE public.subscriptions_viptier ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.subscriptions_viptier_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analytics_campaign analytics_campaign_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_campaign
    ADD CONSTRAINT analytics_campaign_pkey PRIMARY KEY (id);


--
-- Name: analytics_campaignperformance analytics_campaignperformance_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_campaignperformance
    ADD CONSTRAINT analytics_campaignperformance_pkey PRIMARY KEY (id);


--
-- Name: analytics_conversionevent analytics_conversionevent_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_conversionevent
    ADD CONSTRAINT analytics_conversionevent_pkey PRIMARY KEY (id);


--
-- Name: analytics_customermetrics analytics_customermetrics_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_customermetrics
    ADD CONSTRAINT analytics_customermetrics_pkey PRIMARY KEY (id);


--
-- Name: analytics_customermetrics analytics_customermetrics_user_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_customermetrics
    ADD CONSTRAINT analytics_customermetrics_user_id_key UNIQUE (user_id);


--
-- Name: analytics_dailyanalyticssnapshot analytics_dailyanalyticssnapshot_date_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_dailyanalyticssnapshot
    ADD CONSTRAINT analytics_dailyanalyticssnapshot_date_key UNIQUE (date);


--
-- Name: analytics_dailyanalyticssnapshot analytics_dailyanalyticssnapshot_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_dailyanalyticssnapshot
    ADD CONSTRAINT analytics_dailyanalyticssnapshot_pkey PRIMARY KEY (id);


--
-- Name: analytics_pageviewanalytics analytics_pageviewanalytics_page_name_date_5f176de1_uniq; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_pageviewanalytics
    ADD CONSTRAINT analytics_pageviewanalytics_page_name_date_5f176de1_uniq UNIQUE (page_name, date);


--
-- Name: analytics_pageviewanalytics analytics_pageviewanalytics_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_pageviewanalytics
    ADD CONSTRAINT analytics_pageviewanalytics_pkey PRIMARY KEY (id);


--
-- Name: analytics_revenuestream analytics_revenuestream_date_channel_ec86a56e_uniq; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_revenuestream
    ADD CONSTRAINT analytics_revenuestream_date_channel_ec86a56e_uniq UNIQUE (date, channel);


--
-- Name: analytics_revenuestream analytics_revenuestream_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.analytics_revenuestream
    ADD CONSTRAINT analytics_revenuestream_pkey PRIMARY KEY (id);


--
-- Name: auth_user auth_user_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_pkey PRIMARY KEY (id);


--
-- Name: auth_user auth_user_username_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_username_key UNIQUE (username);


--
-- Name: catering_cateringbooking catering_cateringbooking_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.catering_cateringbooking
    ADD CONSTRAINT catering_cateringbooking_pkey PRIMARY KEY (id);


--
-- Name: catering_cateringpackage catering_cateringpackage_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.catering_cateringpackage
    ADD CONSTRAINT catering_cateringpackage_pkey PRIMARY KEY (id);


--
-- Name: corporate_corporatecontract corporate_corporatecontract_contract_number_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporatecontract
    ADD CONSTRAINT corporate_corporatecontract_contract_number_key UNIQUE (contract_number);


--
-- Name: corporate_corporatecontract corporate_corporatecontract_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporatecontract
    ADD CONSTRAINT corporate_corporatecontract_pkey PRIMARY KEY (id);


--
-- Name: corporate_corporateemployee corporate_corporateemployee_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporateemployee
    ADD CONSTRAINT corporate_corporateemployee_pkey PRIMARY KEY (id);


--
-- Name: corporate_corporateemployee corporate_corporateemployee_user_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporateemployee
    ADD CONSTRAINT corporate_corporateemployee_user_id_key UNIQUE (user_id);


--
-- Name: corporate_corporatepartner corporate_corporatepartner_name_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporatepartner
    ADD CONSTRAINT corporate_corporatepartner_name_key UNIQUE (name);


--
-- Name: corporate_corporatepartner corporate_corporatepartner_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporatepartner
    ADD CONSTRAINT corporate_corporatepartner_pkey PRIMARY KEY (id);


--
-- Name: delivery_deliveryaddress delivery_deliveryaddress_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.delivery_deliveryaddress
    ADD CONSTRAINT delivery_deliveryaddress_pkey PRIMARY KEY (id);


--
-- Name: delivery_deliveryzone delivery_deliveryzone_name_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.delivery_deliveryzone
    ADD CONSTRAINT delivery_deliveryzone_name_key UNIQUE (name);


--
-- Name: delivery_deliveryzone delivery_deliveryzone_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.delivery_deliveryzone
    ADD CONSTRAINT delivery_deliveryzone_pkey PRIMARY KEY (id);


--
-- Name: loyalty_loyaltypoints loyalty_loyaltypoints_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_loyaltypoints
    ADD CONSTRAINT loyalty_loyaltypoints_pkey PRIMARY KEY (id);


--
-- Name: loyalty_loyaltypoints loyalty_loyaltypoints_user_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_loyaltypoints
    ADD CONSTRAINT loyalty_loyaltypoints_user_id_key UNIQUE (user_id);


--
-- Name: loyalty_pointsredemption loyalty_pointsredemption_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_pointsredemption
    ADD CONSTRAINT loyalty_pointsredemption_pkey PRIMARY KEY (id);


--
-- Name: loyalty_pointstransaction loyalty_pointstransaction_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_pointstransaction
    ADD CONSTRAINT loyalty_pointstransaction_pkey PRIMARY KEY (id);


--
-- Name: menu_category menu_category_name_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.menu_category
    ADD CONSTRAINT menu_category_name_key UNIQUE (name);


--
-- Name: menu_category menu_category_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.menu_category
    ADD CONSTRAINT menu_category_pkey PRIMARY KEY (id);


--
-- Name: menu_category menu_category_slug_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.menu_category
    ADD CONSTRAINT menu_category_slug_key UNIQUE (slug);


--
-- Name: menu_menuitem menu_menuitem_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.menu_menuitem
    ADD CONSTRAINT menu_menuitem_pkey PRIMARY KEY (id);


--
-- Name: orders_order orders_order_order_number_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.orders_order
    ADD CONSTRAINT orders_order_order_number_key UNIQUE (order_number);


--
-- Name: orders_order orders_order_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.orders_order
    ADD CONSTRAINT orders_order_pkey PRIMARY KEY (id);


--
-- Name: orders_orderitem orders_orderitem_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.orders_orderitem
    ADD CONSTRAINT orders_orderitem_pkey PRIMARY KEY (id);


--
-- Name: payments_payment payments_payment_order_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.payments_payment
    ADD CONSTRAINT payments_payment_order_id_key UNIQUE (order_id);


--
-- Name: payments_payment payments_payment_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.payments_payment
    ADD CONSTRAINT payments_payment_pkey PRIMARY KEY (id);


--
-- Name: payments_refundrequest payments_refundrequest_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.payments_refundrequest
    ADD CONSTRAINT payments_refundrequest_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_loyaltypoints subscriptions_loyaltypoints_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltypoints
    ADD CONSTRAINT subscriptions_loyaltypoints_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_loyaltypoints subscriptions_loyaltypoints_user_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltypoints
    ADD CONSTRAINT subscriptions_loyaltypoints_user_id_key UNIQUE (user_id);


--
-- Name: subscriptions_loyaltytransaction subscriptions_loyaltytransaction_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltytransaction
    ADD CONSTRAINT subscriptions_loyaltytransaction_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_referralprogram subscriptions_referralprogram_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_referralprogram
    ADD CONSTRAINT subscriptions_referralprogram_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_referralprogram subscriptions_referralprogram_referral_code_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_referralprogram
    ADD CONSTRAINT subscriptions_referralprogram_referral_code_key UNIQUE (referral_code);


--
-- Name: subscriptions_subscriptionorder subscriptions_subscriptionorder_order_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscriptionorder
    ADD CONSTRAINT subscriptions_subscriptionorder_order_id_key UNIQUE (order_id);


--
-- Name: subscriptions_subscriptionorder subscriptions_subscriptionorder_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscriptionorder
    ADD CONSTRAINT subscriptions_subscriptionorder_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_subscriptionplan subscriptions_subscriptionplan_name_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscriptionplan
    ADD CONSTRAINT subscriptions_subscriptionplan_name_key UNIQUE (name);


--
-- Name: subscriptions_subscriptionplan subscriptions_subscriptionplan_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscriptionplan
    ADD CONSTRAINT subscriptions_subscriptionplan_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_subscription subscriptions_usersubscription_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscription
    ADD CONSTRAINT subscriptions_usersubscription_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_viptier subscriptions_viptier_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_viptier
    ADD CONSTRAINT subscriptions_viptier_pkey PRIMARY KEY (id);


--
-- Name: subscriptions_viptier subscriptions_viptier_user_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_viptier
    ADD CONSTRAINT subscriptions_viptier_user_id_key UNIQUE (user_id);


--
-- Name: analytics_c_timesta_38630f_idx; Type: INDEX
--

CREATE INDEX analytics_c_timesta_38630f_idx ON public.analytics_conversionevent USING btree ("timestamp" DESC, event_type);


--
-- Name: analytics_campaignperformance_campaign_id_3e8e51a5; Type: INDEX
--

CREATE INDEX analytics_campaignperformance_campaign_id_3e8e51a5 ON public.analytics_campaignperformance USING btree (campaign_id);


--
-- Name: analytics_conversionevent_timestamp_0659c0f7; Type: INDEX
--

CREATE INDEX analytics_conversionevent_timestamp_0659c0f7 ON public.analytics_conversionevent USING btree ("timestamp");


--
-- Name: analytics_conversionevent_user_id_58444ca9; Type: INDEX
--

CREATE INDEX analytics_conversionevent_user_id_58444ca9 ON public.analytics_conversionevent USING btree (user_id);


--
-- Name: analytics_pageviewanalytics_date_a5b8cc8d; Type: INDEX
--

CREATE INDEX analytics_pageviewanalytics_date_a5b8cc8d ON public.analytics_pageviewanalytics USING btree (date);


--
-- Name: analytics_r_date_679594_idx; Type: INDEX
--

CREATE INDEX analytics_r_date_679594_idx ON public.analytics_revenuestream USING btree (date DESC, channel);


--
-- Name: analytics_revenuestream_date_74b3379d; Type: INDEX
--

CREATE INDEX analytics_revenuestream_date_74b3379d ON public.analytics_revenuestream USING btree (date);


--
-- Name: auth_user_username_6821ab7c_like; Type: INDEX
--

CREATE INDEX auth_user_username_6821ab7c_like ON public.auth_user USING btree (username varchar_pattern_ops);


--
-- Name: catering_cateringbooking_package_id_ea55ebbe; Type: INDEX
--

CREATE INDEX catering_cateringbooking_package_id_ea55ebbe ON public.catering_cateringbooking USING btree (package_id);


--
-- Name: catering_cateringbooking_user_id_142d1e87; Type: INDEX
--

CREATE INDEX catering_cateringbooking_user_id_142d1e87 ON public.catering_cateringbooking USING btree (user_id);


--
-- Name: corporate_corporatecontract_contract_number_ef5326b5_like; Type: INDEX
--

CREATE INDEX corporate_corporatecontract_contract_number_ef5326b5_like ON public.corporate_corporatecontract USING btree (contract_number varchar_pattern_ops);


--
-- Name: corporate_corporatecontract_partner_id_5c252685; Type: INDEX
--

CREATE INDEX corporate_corporatecontract_partner_id_5c252685 ON public.corporate_corporatecontract USING btree (partner_id);


--
-- Name: corporate_corporateemployee_partner_id_94568ea4; Type: INDEX
--

CREATE INDEX corporate_corporateemployee_partner_id_94568ea4 ON public.corporate_corporateemployee USING btree (partner_id);


--
-- Name: corporate_corporatepartner_name_d3033a03_like; Type: INDEX
--

CREATE INDEX corporate_corporatepartner_name_d3033a03_like ON public.corporate_corporatepartner USING btree (name varchar_pattern_ops);


--
-- Name: delivery_deliveryaddress_user_id_acc8adb7; Type: INDEX
--

CREATE INDEX delivery_deliveryaddress_user_id_acc8adb7 ON public.delivery_deliveryaddress USING btree (user_id);


--
-- Name: delivery_deliveryaddress_zone_id_f554ad6f; Type: INDEX
--

CREATE INDEX delivery_deliveryaddress_zone_id_f554ad6f ON public.delivery_deliveryaddress USING btree (zone_id);


--
-- Name: delivery_deliveryzone_name_2ab3afe1_like; Type: INDEX
--

CREATE INDEX delivery_deliveryzone_name_2ab3afe1_like ON public.delivery_deliveryzone USING btree (name varchar_pattern_ops);


--
-- Name: loyalty_poi_user_id_eeff9c_idx; Type: INDEX
--

CREATE INDEX loyalty_poi_user_id_eeff9c_idx ON public.loyalty_pointstransaction USING btree (user_id, created_at DESC);


--
-- Name: loyalty_pointstransaction_order_id_c4485073; Type: INDEX
--

CREATE INDEX loyalty_pointstransaction_order_id_c4485073 ON public.loyalty_pointstransaction USING btree (order_id);


--
-- Name: loyalty_pointstransaction_user_id_b4903a48; Type: INDEX
--

CREATE INDEX loyalty_pointstransaction_user_id_b4903a48 ON public.loyalty_pointstransaction USING btree (user_id);


--
-- Name: menu_category_name_3df82881_like; Type: INDEX
--

CREATE INDEX menu_category_name_3df82881_like ON public.menu_category USING btree (name varchar_pattern_ops);


--
-- Name: menu_category_slug_9da38891_like; Type: INDEX
--

CREATE INDEX menu_category_slug_9da38891_like ON public.menu_category USING btree (slug varchar_pattern_ops);


--
-- Name: menu_menuitem_category_id_af353a3b; Type: INDEX
--

CREATE INDEX menu_menuitem_category_id_af353a3b ON public.menu_menuitem USING btree (category_id);


--
-- Name: orders_order_delivery_address_id_6ecfdbf4; Type: INDEX
--

CREATE INDEX orders_order_delivery_address_id_6ecfdbf4 ON public.orders_order USING btree (delivery_address_id);


--
-- Name: orders_order_order_number_4e985f70_like; Type: INDEX
--

CREATE INDEX orders_order_order_number_4e985f70_like ON public.orders_order USING btree (order_number varchar_pattern_ops);


--
-- Name: orders_order_user_id_e9b59eb1; Type: INDEX
--

CREATE INDEX orders_order_user_id_e9b59eb1 ON public.orders_order USING btree (user_id);


--
-- Name: orders_orderitem_menu_item_id_72e84539; Type: INDEX
--

CREATE INDEX orders_orderitem_menu_item_id_72e84539 ON public.orders_orderitem USING btree (menu_item_id);


--
-- Name: orders_orderitem_order_id_fe61a34d; Type: INDEX
--

CREATE INDEX orders_orderitem_order_id_fe61a34d ON public.orders_orderitem USING btree (order_id);


--
-- Name: payments_pa_created_3147e3_idx; Type: INDEX
--

CREATE INDEX payments_pa_created_3147e3_idx ON public.payments_payment USING btree (created_at DESC);


--
-- Name: payments_pa_payment_11cbdd_idx; Type: INDEX
--

CREATE INDEX payments_pa_payment_11cbdd_idx ON public.payments_payment USING btree (payment_method, status);


--
-- Name: payments_pa_reconci_05066a_idx; Type: INDEX
--

CREATE INDEX payments_pa_reconci_05066a_idx ON public.payments_payment USING btree (reconciled, created_at DESC);


--
-- Name: payments_payment_bank_provider_id_fc6199b4; Type: INDEX
--

CREATE INDEX payments_payment_bank_provider_id_fc6199b4 ON public.payments_payment USING btree (bank_provider_id);


--
-- Name: payments_payment_created_at_149046d5; Type: INDEX
--

CREATE INDEX payments_payment_created_at_149046d5 ON public.payments_payment USING btree (created_at);


--
-- Name: payments_payment_invoice_number_cf2711aa; Type: INDEX
--

CREATE INDEX payments_payment_invoice_number_cf2711aa ON public.payments_payment USING btree (invoice_number);


--
-- Name: payments_payment_invoice_number_cf2711aa_like; Type: INDEX
--

CREATE INDEX payments_payment_invoice_number_cf2711aa_like ON public.payments_payment USING btree (invoice_number varchar_pattern_ops);


--
-- Name: payments_payment_payment_id_5ab18190; Type: INDEX
--

CREATE INDEX payments_payment_payment_id_5ab18190 ON public.payments_payment USING btree (payment_id);


--
-- Name: payments_payment_payment_method_f436dde9; Type: INDEX
--

CREATE INDEX payments_payment_payment_method_f436dde9 ON public.payments_payment USING btree (payment_method);


--
-- Name: payments_payment_payment_method_f436dde9_like; Type: INDEX
--

CREATE INDEX payments_payment_payment_method_f436dde9_like ON public.payments_payment USING btree (payment_method varchar_pattern_ops);


--
-- Name: payments_payment_status_fc8cbda2; Type: INDEX
--

CREATE INDEX payments_payment_status_fc8cbda2 ON public.payments_payment USING btree (status);


--
-- Name: payments_payment_status_fc8cbda2_like; Type: INDEX
--

CREATE INDEX payments_payment_status_fc8cbda2_like ON public.payments_payment USING btree (status varchar_pattern_ops);


--
-- Name: payments_payment_subscription_id_4cc8f173; Type: INDEX
--

CREATE INDEX payments_payment_subscription_id_4cc8f173 ON public.payments_payment USING btree (subscription_id);


--
-- Name: payments_payment_transaction_id_55f6af3a; Type: INDEX
--

CREATE INDEX payments_payment_transaction_id_55f6af3a ON public.payments_payment USING btree (transaction_id);


--
-- Name: payments_payment_transaction_id_55f6af3a_like; Type: INDEX
--

CREATE INDEX payments_payment_transaction_id_55f6af3a_like ON public.payments_payment USING btree (transaction_id varchar_pattern_ops);


--
-- Name: payments_payment_transaction_reference_fa5659bf; Type: INDEX
--

CREATE INDEX payments_payment_transaction_reference_fa5659bf ON public.payments_payment USING btree (transaction_reference);


--
-- Name: payments_payment_transaction_reference_fa5659bf_like; Type: INDEX
--

CREATE INDEX payments_payment_transaction_reference_fa5659bf_like ON public.payments_payment USING btree (transaction_reference varchar_pattern_ops);


--
-- Name: payments_refundrequest_approved_by_id_39b4f090; Type: INDEX
--

CREATE INDEX payments_refundrequest_approved_by_id_39b4f090 ON public.payments_refundrequest USING btree (approved_by_id);


--
-- Name: payments_refundrequest_payment_id_95554122; Type: INDEX
--

CREATE INDEX payments_refundrequest_payment_id_95554122 ON public.payments_refundrequest USING btree (payment_id);


--
-- Name: payments_refundrequest_refund_transaction_id_efb3b084; Type: INDEX
--

CREATE INDEX payments_refundrequest_refund_transaction_id_efb3b084 ON public.payments_refundrequest USING btree (refund_transaction_id);


--
-- Name: payments_refundrequest_refund_transaction_id_efb3b084_like; Type: INDEX
--

CREATE INDEX payments_refundrequest_refund_transaction_id_efb3b084_like ON public.payments_refundrequest USING btree (refund_transaction_id varchar_pattern_ops);


--
-- Name: subscriptio_auto_or_1a31ee_idx; Type: INDEX
--

CREATE INDEX subscriptio_auto_or_1a31ee_idx ON public.subscriptions_subscription USING btree (auto_order_enabled, status);


--
-- Name: subscriptio_referra_b3d107_idx; Type: INDEX
--

CREATE INDEX subscriptio_referra_b3d107_idx ON public.subscriptions_referralprogram USING btree (referral_code);


--
-- Name: subscriptio_referre_d90fc0_idx; Type: INDEX
--

CREATE INDEX subscriptio_referre_d90fc0_idx ON public.subscriptions_referralprogram USING btree (referrer_id, status);


--
-- Name: subscriptio_status_5ff966_idx; Type: INDEX
--

CREATE INDEX subscriptio_status_5ff966_idx ON public.subscriptions_subscription USING btree (status, end_date);


--
-- Name: subscriptio_transac_b7f7fd_idx; Type: INDEX
--

CREATE INDEX subscriptio_transac_b7f7fd_idx ON public.subscriptions_loyaltytransaction USING btree (transaction_type, created_at DESC);


--
-- Name: subscriptio_user_id_0a99db_idx; Type: INDEX
--

CREATE INDEX subscriptio_user_id_0a99db_idx ON public.subscriptions_subscription USING btree (user_id, status, created_at DESC);


--
-- Name: subscriptio_user_id_fa6ec6_idx; Type: INDEX
--

CREATE INDEX subscriptio_user_id_fa6ec6_idx ON public.subscriptions_loyaltytransaction USING btree (user_id, created_at DESC);


--
-- Name: subscriptions_loyaltytrans_related_subscription_id_f06315ec; Type: INDEX
--

CREATE INDEX subscriptions_loyaltytrans_related_subscription_id_f06315ec ON public.subscriptions_loyaltytransaction USING btree (related_subscription_id);


--
-- Name: subscriptions_loyaltytransaction_created_at_4ed01e60; Type: INDEX
--

CREATE INDEX subscriptions_loyaltytransaction_created_at_4ed01e60 ON public.subscriptions_loyaltytransaction USING btree (created_at);


--
-- Name: subscriptions_loyaltytransaction_related_payment_id_60773611; Type: INDEX
--

CREATE INDEX subscriptions_loyaltytransaction_related_payment_id_60773611 ON public.subscriptions_loyaltytransaction USING btree (related_payment_id);


--
-- Name: subscriptions_loyaltytransaction_user_id_f8c5779d; Type: INDEX
--

CREATE INDEX subscriptions_loyaltytransaction_user_id_f8c5779d ON public.subscriptions_loyaltytransaction USING btree (user_id);


--
-- Name: subscriptions_referralprogram_referee_id_0448bf47; Type: INDEX
--

CREATE INDEX subscriptions_referralprogram_referee_id_0448bf47 ON public.subscriptions_referralprogram USING btree (referee_id);


--
-- Name: subscriptions_referralprogram_referral_code_b2e00436_like; Type: INDEX
--

CREATE INDEX subscriptions_referralprogram_referral_code_b2e00436_like ON public.subscriptions_referralprogram USING btree (referral_code varchar_pattern_ops);


--
-- Name: subscriptions_referralprogram_referrer_id_5132f878; Type: INDEX
--

CREATE INDEX subscriptions_referralprogram_referrer_id_5132f878 ON public.subscriptions_referralprogram USING btree (referrer_id);


--
-- Name: subscriptions_subscriptionorder_subscription_id_7081b218; Type: INDEX
--

CREATE INDEX subscriptions_subscriptionorder_subscription_id_7081b218 ON public.subscriptions_subscriptionorder USING btree (subscription_id);


--
-- Name: subscriptions_subscriptionplan_name_7c8dee1a_like; Type: INDEX
--

CREATE INDEX subscriptions_subscriptionplan_name_7c8dee1a_like ON public.subscriptions_subscriptionplan USING btree (name varchar_pattern_ops);


--
-- Name: subscriptions_usersubscription_plan_id_553a4857; Type: INDEX
--

CREATE INDEX subscriptions_usersubscription_plan_id_553a4857 ON public.subscriptions_subscription USING btree (plan_id);


--
-- Name: subscriptions_usersubscription_user_id_fd3f47a9; Type: INDEX
--

CREATE INDEX subscriptions_usersubscription_user_id_fd3f47a9 ON public.subscriptions_subscription USING btree (user_id);


--
-- Name: analytics_campaignperformance analytics_campaignpe_campaign_id_3e8e51a5_fk_analytics; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.analytics_campaignperformance
    ADD CONSTRAINT analytics_campaignpe_campaign_id_3e8e51a5_fk_analytics FOREIGN KEY (campaign_id) REFERENCES public.analytics_campaign(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: analytics_conversionevent analytics_conversionevent_user_id_58444ca9_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.analytics_conversionevent
    ADD CONSTRAINT analytics_conversionevent_user_id_58444ca9_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: analytics_customermetrics analytics_customermetrics_user_id_466cfaa7_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.analytics_customermetrics
    ADD CONSTRAINT analytics_customermetrics_user_id_466cfaa7_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: catering_cateringbooking catering_cateringboo_package_id_ea55ebbe_fk_catering_; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.catering_cateringbooking
    ADD CONSTRAINT catering_cateringboo_package_id_ea55ebbe_fk_catering_ FOREIGN KEY (package_id) REFERENCES public.catering_cateringpackage(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: catering_cateringbooking catering_cateringbooking_user_id_142d1e87_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.catering_cateringbooking
    ADD CONSTRAINT catering_cateringbooking_user_id_142d1e87_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: corporate_corporatecontract corporate_corporatec_partner_id_5c252685_fk_corporate; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporatecontract
    ADD CONSTRAINT corporate_corporatec_partner_id_5c252685_fk_corporate FOREIGN KEY (partner_id) REFERENCES public.corporate_corporatepartner(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: corporate_corporateemployee corporate_corporatee_partner_id_94568ea4_fk_corporate; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporateemployee
    ADD CONSTRAINT corporate_corporatee_partner_id_94568ea4_fk_corporate FOREIGN KEY (partner_id) REFERENCES public.corporate_corporatepartner(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: corporate_corporateemployee corporate_corporateemployee_user_id_e291ab99_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.corporate_corporateemployee
    ADD CONSTRAINT corporate_corporateemployee_user_id_e291ab99_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: delivery_deliveryaddress delivery_deliveryadd_zone_id_f554ad6f_fk_delivery_; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.delivery_deliveryaddress
    ADD CONSTRAINT delivery_deliveryadd_zone_id_f554ad6f_fk_delivery_ FOREIGN KEY (zone_id) REFERENCES public.delivery_deliveryzone(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: delivery_deliveryaddress delivery_deliveryaddress_user_id_acc8adb7_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.delivery_deliveryaddress
    ADD CONSTRAINT delivery_deliveryaddress_user_id_acc8adb7_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: loyalty_loyaltypoints loyalty_loyaltypoints_user_id_90dcd61b_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_loyaltypoints
    ADD CONSTRAINT loyalty_loyaltypoints_user_id_90dcd61b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: loyalty_pointstransaction loyalty_pointstransaction_order_id_c4485073_fk_orders_order_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_pointstransaction
    ADD CONSTRAINT loyalty_pointstransaction_order_id_c4485073_fk_orders_order_id FOREIGN KEY (order_id) REFERENCES public.orders_order(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: loyalty_pointstransaction loyalty_pointstransaction_user_id_b4903a48_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.loyalty_pointstransaction
    ADD CONSTRAINT loyalty_pointstransaction_user_id_b4903a48_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: menu_menuitem menu_menuitem_category_id_af353a3b_fk_menu_category_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.menu_menuitem
    ADD CONSTRAINT menu_menuitem_category_id_af353a3b_fk_menu_category_id FOREIGN KEY (category_id) REFERENCES public.menu_category(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders_order orders_order_delivery_address_id_6ecfdbf4_fk_delivery_; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.orders_order
    ADD CONSTRAINT orders_order_delivery_address_id_6ecfdbf4_fk_delivery_ FOREIGN KEY (delivery_address_id) REFERENCES public.delivery_deliveryaddress(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders_order orders_order_user_id_e9b59eb1_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.orders_order
    ADD CONSTRAINT orders_order_user_id_e9b59eb1_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders_orderitem orders_orderitem_menu_item_id_72e84539_fk_menu_menuitem_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.orders_orderitem
    ADD CONSTRAINT orders_orderitem_menu_item_id_72e84539_fk_menu_menuitem_id FOREIGN KEY (menu_item_id) REFERENCES public.menu_menuitem(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders_orderitem orders_orderitem_order_id_fe61a34d_fk_orders_order_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.orders_orderitem
    ADD CONSTRAINT orders_orderitem_order_id_fe61a34d_fk_orders_order_id FOREIGN KEY (order_id) REFERENCES public.orders_order(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: payments_payment payments_payment_order_id_22c479b7_fk_orders_order_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.payments_payment
    ADD CONSTRAINT payments_payment_order_id_22c479b7_fk_orders_order_id FOREIGN KEY (order_id) REFERENCES public.orders_order(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: payments_payment payments_payment_subscription_id_4cc8f173_fk_subscript; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.payments_payment
    ADD CONSTRAINT payments_payment_subscription_id_4cc8f173_fk_subscript FOREIGN KEY (subscription_id) REFERENCES public.subscriptions_subscription(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: payments_refundrequest payments_refundreque_payment_id_95554122_fk_payments_; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.payments_refundrequest
    ADD CONSTRAINT payments_refundreque_payment_id_95554122_fk_payments_ FOREIGN KEY (payment_id) REFERENCES public.payments_payment(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: payments_refundrequest payments_refundrequest_approved_by_id_39b4f090_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.payments_refundrequest
    ADD CONSTRAINT payments_refundrequest_approved_by_id_39b4f090_fk_auth_user_id FOREIGN KEY (approved_by_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_loyaltytransaction subscriptions_loyalt_related_payment_id_60773611_fk_payments_; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltytransaction
    ADD CONSTRAINT subscriptions_loyalt_related_payment_id_60773611_fk_payments_ FOREIGN KEY (related_payment_id) REFERENCES public.payments_payment(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_loyaltytransaction subscriptions_loyalt_related_subscription_f06315ec_fk_subscript; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltytransaction
    ADD CONSTRAINT subscriptions_loyalt_related_subscription_f06315ec_fk_subscript FOREIGN KEY (related_subscription_id) REFERENCES public.subscriptions_subscription(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_loyaltytransaction subscriptions_loyalt_user_id_f8c5779d_fk_auth_user; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltytransaction
    ADD CONSTRAINT subscriptions_loyalt_user_id_f8c5779d_fk_auth_user FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_loyaltypoints subscriptions_loyaltypoints_user_id_309378f6_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_loyaltypoints
    ADD CONSTRAINT subscriptions_loyaltypoints_user_id_309378f6_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_referralprogram subscriptions_referr_referee_id_0448bf47_fk_auth_user; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_referralprogram
    ADD CONSTRAINT subscriptions_referr_referee_id_0448bf47_fk_auth_user FOREIGN KEY (referee_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_referralprogram subscriptions_referr_referrer_id_5132f878_fk_auth_user; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_referralprogram
    ADD CONSTRAINT subscriptions_referr_referrer_id_5132f878_fk_auth_user FOREIGN KEY (referrer_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_subscriptionorder subscriptions_subscr_order_id_9c09333f_fk_orders_or; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscriptionorder
    ADD CONSTRAINT subscriptions_subscr_order_id_9c09333f_fk_orders_or FOREIGN KEY (order_id) REFERENCES public.orders_order(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_subscriptionorder subscriptions_subscr_subscription_id_7081b218_fk_subscript; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscriptionorder
    ADD CONSTRAINT subscriptions_subscr_subscription_id_7081b218_fk_subscript FOREIGN KEY (subscription_id) REFERENCES public.subscriptions_subscription(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_subscription subscriptions_usersu_plan_id_553a4857_fk_subscript; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscription
    ADD CONSTRAINT subscriptions_usersu_plan_id_553a4857_fk_subscript FOREIGN KEY (plan_id) REFERENCES public.subscriptions_subscriptionplan(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_subscription subscriptions_usersubscription_user_id_fd3f47a9_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_subscription
    ADD CONSTRAINT subscriptions_usersubscription_user_id_fd3f47a9_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: subscriptions_viptier subscriptions_viptier_user_id_e383c73d_fk_auth_user_id; Type: FK CONSTRAINT
--

ALTER TABLE ONLY public.subscriptions_viptier
    ADD CONSTRAINT subscriptions_viptier_user_id_e383c73d_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;
